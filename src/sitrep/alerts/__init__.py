"""Saved searches' feeds, alerts and e-mail digests.

- :mod:`~sitrep.alerts.query`: a saved search is the events list's query string.
- :mod:`~sitrep.alerts.changes`: what changed for a search between two moments.
- :mod:`~sitrep.alerts.feeds`: Atom 1.0 and JSON Feed 1.1 of a search.
- :mod:`~sitrep.alerts.mail`: the alert e-mail (text, HTML and a map) and SMTP sending.
- :mod:`~sitrep.alerts.schedule`: when a subscription is due, and retry backoff.

The service (:mod:`sitrep.service_alerts`) composes them and is the only one to write.
"""
