"""Fusion: mentions of one real-world event, from any number of articles, as one event.

:mod:`sitrep.fuse.match` scores a mention against an event, :mod:`sitrep.fuse.cluster`
clusters mentions incrementally and deterministically, :mod:`sitrep.fuse.summary` builds
the fused record (claims, corroboration, confidence, notes) and
:mod:`sitrep.fuse.engine` turns a batch of new mentions into changes for the store.
"""
