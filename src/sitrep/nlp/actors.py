"""The actor knowledge base: canonical actors, their aliases, kinds and dated relations.

The bundled ``sitrep/data/actors.yaml`` is read first; user files (setting
``actor_files``) are merged over it and may add actors, add aliases to existing actors
and add relations. Every problem is a :class:`~sitrep.errors.ConfigError` naming the
file and the entry. :attr:`ActorKB.version` is a short hash of the merged content, stored
with coded events so that a change of the knowledge base is visible in their provenance.

Importing this module registers the spaCy component ``sitrep_actors``.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from sitrep.errors import ConfigError, SitrepError
from sitrep.nlp.actor_match import ActorMention, AliasMatcher, lookup_key
from sitrep.settings import Settings

__all__ = [
    "BUNDLED_ACTORS",
    "KINDS",
    "RELATION_TYPES",
    "Actor",
    "ActorKB",
    "ActorKind",
    "ActorMention",
    "ActorSpans",
    "Relation",
    "RelationType",
    "actor_kb",
]

BUNDLED_ACTORS = Path(__file__).resolve().parent.parent / "data" / "actors.yaml"

ActorKind = Literal[
    "state_forces",
    "rebel_group",
    "militia",
    "external_state",
    "international_organisation",
    "civilians",
    "political",
    "media",
    "ngo",
    "generic",
]
RelationType = Literal[
    "sponsor", "proxy_of", "ally", "part_of", "opponent", "leader_of", "successor_of"
]
KINDS: tuple[str, ...] = get_args(ActorKind)
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)
# Read in both directions: if A fights alongside B, B fights alongside A.
SYMMETRIC: frozenset[str] = frozenset({"ally", "opponent"})

_ID = re.compile(r"[a-z][a-z0-9_]*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_NEW_KEYS = frozenset(
    {"id", "name", "kind", "country", "aliases", "ambiguous_aliases", "description", "relations"}
)
# A file that names an actor defined by an earlier file may only add to it.
_EXTENSION_KEYS = frozenset({"id", "aliases", "ambiguous_aliases", "relations"})
_RELATION_KEYS = frozenset({"type", "target", "start", "end"})


@dataclass(frozen=True)
class Relation:
    """The owning actor stands in relation ``type`` to ``target`` from ``start`` to ``end``.

    Both bounds are inclusive days; a year or month in the file covers the whole period.
    ``None`` leaves that side open.
    """

    type: RelationType
    target: str
    start: date | None = None
    end: date | None = None

    def valid_on(self, day: date | None) -> bool:
        """Whether the relation holds on ``day``; with no day, whether it ever held."""
        if day is None:
            return True
        if isinstance(day, datetime):
            day = day.date()  # date and datetime do not compare
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    country: str | None = None
    aliases: tuple[str, ...] = ()
    # Shared on purpose with other actors; the actor listed first is the default reading.
    ambiguous_aliases: tuple[str, ...] = ()
    description: str = ""
    relations: tuple[Relation, ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The name and every alias, the name first."""
        return (self.name, *self.aliases, *self.ambiguous_aliases)


@dataclass
class _Draft:
    """An actor while files are being merged, with the file each part came from."""

    actor: Actor
    path: Path
    alias_files: dict[str, Path] = field(default_factory=dict)
    relation_files: list[Path] = field(default_factory=list)


class ActorKB:
    """Canonical actors with alias lookup, text matching and dated relations."""

    def __init__(self, actors: Sequence[Actor], sources: Sequence[Path] = ()) -> None:
        self.actors: tuple[Actor, ...] = tuple(actors)
        self.sources: tuple[Path, ...] = tuple(sources)
        self._by_id = {actor.id: actor for actor in self.actors}
        self._by_key: dict[tuple[str, ...], list[str]] = {}
        for actor in self.actors:
            for surface in actor.surfaces:
                ids = self._by_key.setdefault(lookup_key(surface), [])
                if actor.id not in ids:
                    ids.append(actor.id)
        self._incoming: dict[str, list[tuple[str, Relation]]] = {}
        for actor in self.actors:
            for relation in actor.relations:
                self._incoming.setdefault(relation.target, []).append((actor.id, relation))
        self._matcher = AliasMatcher(
            (surface, actor.id) for actor in self.actors for surface in actor.surfaces
        )
        self.version = _content_hash(self.actors)

    @classmethod
    def load(cls, paths: Sequence[Path | str] | None = None) -> ActorKB:
        """The bundled actors with the files in ``paths`` merged over them, in order."""
        files = [BUNDLED_ACTORS, *(Path(p) for p in paths or ())]
        drafts: dict[str, _Draft] = {}
        for path in files:
            _merge_file(path, drafts)
        _check_targets(drafts)
        _check_aliases(drafts)
        return cls([draft.actor for draft in drafts.values()], files)

    @classmethod
    def from_settings(cls, settings: Settings) -> ActorKB:
        """The knowledge base with the files named by the ``actor_files`` setting."""
        return cls.load(_split_files(settings.actor_files))

    def __len__(self) -> int:
        return len(self.actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._by_id

    def get(self, actor_id: str) -> Actor:
        try:
            return self._by_id[actor_id]
        except KeyError:
            raise SitrepError(
                "E504",
                f"no actor has id {actor_id!r}",
                "ids are the `id:` fields of sitrep/data/actors.yaml and your actor files",
            ) from None

    def find(self, surface: str) -> Actor | None:
        """The actor a name refers to, ignoring case, diacritics, articles and hyphens."""
        found = self.candidates(surface)
        return found[0] if found else None

    def candidates(self, surface: str) -> tuple[Actor, ...]:
        """Every actor a name may refer to, the default reading first."""
        return tuple(self._by_id[i] for i in self._by_key.get(lookup_key(surface), ()))

    def matches(self, text: str) -> list[ActorMention]:
        """Actor names in ``text``: leftmost-longest, non-overlapping, on word boundaries."""
        return self._matcher.matches(text)

    def related(
        self, actor_id: str, type: RelationType, on: date | None = None, *, inverse: bool = False
    ) -> tuple[Actor, ...]:
        """Actors that ``actor_id`` stands in relation ``type`` to on ``on``.

        With ``inverse``, the actors that stand in that relation to ``actor_id`` (the
        members of a group for ``part_of``, its leaders for ``leader_of``). Symmetric
        relations (ally, opponent) are read both ways either way.
        """
        self.get(actor_id)
        if type not in RELATION_TYPES:
            raise ValueError(f"unknown relation type {type!r}; one of {RELATION_TYPES}")
        ids = self._outgoing(actor_id, type, on) if not inverse else []
        if inverse or type in SYMMETRIC:
            ids += self._incoming_of(actor_id, type, on)
        if inverse and type in SYMMETRIC:
            ids += self._outgoing(actor_id, type, on)
        return tuple(self._by_id[i] for i in dict.fromkeys(ids) if i != actor_id)

    def sponsors_of(self, actor_id: str, on: date | None = None) -> tuple[Actor, ...]:
        """Who backs ``actor_id`` on ``on``, nearest first, following the chain.

        A sponsor's parents are sponsors too (an IRGC proxy is an Iran proxy), so are a
        sponsor's own sponsors, and a group inherits the sponsors of the group it is part
        of (a faction of the Syrian National Army is backed by Turkey).
        """
        self.get(actor_id)
        subjects = self._ancestors(actor_id, on)
        queue, seen = deque(subjects), set(subjects)
        found: dict[str, None] = {}  # an ordered set: nearest sponsors first
        while queue:
            for sponsor in self._direct_sponsors(queue.popleft(), on):
                for backer in self._ancestors(sponsor, on):
                    if backer != actor_id:
                        found.setdefault(backer)
                    if backer not in seen:
                        seen.add(backer)
                        queue.append(backer)
        return tuple(self._by_id[i] for i in found)

    def proxies_of(self, actor_id: str, on: date | None = None) -> tuple[Actor, ...]:
        """The actors that ``actor_id`` backs on ``on``, directly or down the chain."""
        self.get(actor_id)
        return tuple(
            actor
            for actor in self.actors
            if any(sponsor.id == actor_id for sponsor in self.sponsors_of(actor.id, on))
        )

    def _outgoing(self, actor_id: str, type: str, on: date | None) -> list[str]:
        return [
            r.target for r in self._by_id[actor_id].relations if r.type == type and r.valid_on(on)
        ]

    def _incoming_of(self, actor_id: str, type: str, on: date | None) -> list[str]:
        return [
            subject
            for subject, r in self._incoming.get(actor_id, ())
            if r.type == type and r.valid_on(on)
        ]

    def _direct_sponsors(self, actor_id: str, on: date | None) -> list[str]:
        return self._outgoing(actor_id, "proxy_of", on) + self._incoming_of(actor_id, "sponsor", on)

    def _ancestors(self, actor_id: str, on: date | None) -> list[str]:
        """The actor and every group it is part of on ``on``, nearest first."""
        found = [actor_id]
        for current in found:  # grows while it is read: a breadth-first walk
            found += [p for p in self._outgoing(current, "part_of", on) if p not in found]
        return found


@lru_cache(maxsize=8)
def actor_kb(actor_files: tuple[str, ...] = ()) -> ActorKB:
    """The knowledge base for these user files, loaded once per process and then shared."""
    return ActorKB.load(actor_files)


# -- reading and merging files -------------------------------------------------------------


def _split_files(value: str) -> list[Path]:
    return [Path(part.strip()) for part in value.split(",") if part.strip()]


def _merge_file(path: Path, drafts: dict[str, _Draft]) -> None:
    seen: set[str] = set()
    for number, entry in enumerate(_read_entries(path), 1):
        where = _where(path, entry, number)
        if not isinstance(entry, Mapping):
            raise _invalid(where, "each entry must be a mapping of fields")
        actor_id = entry.get("id")
        if not isinstance(actor_id, str) or not _ID.fullmatch(actor_id):
            raise _invalid(where, "`id` must be a lower-case slug such as syrian_army")
        if actor_id in seen:
            raise _invalid(where, "the id is defined twice in this file")
        seen.add(actor_id)
        if actor_id in drafts:
            _extend(drafts[actor_id], entry, path, where)
        else:
            drafts[actor_id] = _new_draft(entry, path, where)


def _read_entries(path: Path) -> list[Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError("E501", f"cannot read actor file {path}: {exc}") from exc
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ConfigError("E501", f"actor file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("actors"), list):
        raise ConfigError(
            "E501",
            f"actor file {path} has no `actors:` list",
            "the file must be a mapping whose `actors` key holds a list of actors",
        )
    unknown = set(data) - {"actors"}
    if unknown:
        raise _invalid(f"actor file {path}", f"unknown top-level key(s) {sorted(unknown)}")
    entries: list[Any] = data["actors"]
    return entries


def _new_draft(entry: Mapping[str, Any], path: Path, where: str) -> _Draft:
    _check_keys(entry, _NEW_KEYS, where)
    name, kind, country = entry.get("name"), entry.get("kind"), entry.get("country")
    if not isinstance(name, str) or not name.strip():
        raise _invalid(where, "`name` is required and must be text")
    if kind not in KINDS:
        raise _invalid(where, f"`kind` must be one of {', '.join(KINDS)}; got {kind!r}")
    if country is not None and not (isinstance(country, str) and _COUNTRY.fullmatch(country)):
        raise _invalid(where, f"`country` must be a two-letter ISO code in quotes; got {country!r}")
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise _invalid(where, "`description` must be text")
    actor = Actor(
        id=entry["id"],
        name=name.strip(),
        kind=kind,
        country=country,
        aliases=_strings(entry, "aliases", where),
        ambiguous_aliases=_strings(entry, "ambiguous_aliases", where),
        description=description.strip(),
        relations=_relations(entry, where),
    )
    draft = _Draft(actor, path)
    draft.alias_files = dict.fromkeys(actor.surfaces, path)
    draft.relation_files = [path] * len(actor.relations)
    return draft


def _extend(draft: _Draft, entry: Mapping[str, Any], path: Path, where: str) -> None:
    extra = set(entry) - _EXTENSION_KEYS
    if extra:
        raise _invalid(
            where,
            f"actor {entry['id']!r} is already defined in {draft.path}; a later file may "
            f"only add aliases, ambiguous_aliases and relations, not {sorted(extra)}",
        )
    actor = draft.actor
    aliases = _strings(entry, "aliases", where)
    ambiguous = _strings(entry, "ambiguous_aliases", where)
    relations = _relations(entry, where)
    draft.actor = replace(
        actor,
        aliases=tuple(dict.fromkeys(actor.aliases + aliases)),
        ambiguous_aliases=tuple(dict.fromkeys(actor.ambiguous_aliases + ambiguous)),
        relations=actor.relations + relations,
    )
    for surface in aliases + ambiguous:
        draft.alias_files.setdefault(surface, path)
    draft.relation_files += [path] * len(relations)


def _check_keys(entry: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise _invalid(where, f"unknown field(s) {sorted(map(str, unknown))}")


def _strings(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = entry.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _invalid(where, f"`{key}` must be a list of texts")
    for value in values:
        if not lookup_key(value):
            raise _invalid(where, f"alias {value!r} has no words left to match")
    return tuple(dict.fromkeys(v.strip() for v in values))


def _relations(entry: Mapping[str, Any], where: str) -> tuple[Relation, ...]:
    values = entry.get("relations", [])
    if not isinstance(values, list):
        raise _invalid(where, "`relations` must be a list")
    return tuple(_relation(value, f"{where}, relation {n}") for n, value in enumerate(values, 1))


def _relation(value: Any, where: str) -> Relation:
    if not isinstance(value, Mapping):
        raise _invalid(where, "a relation must be a mapping with `type` and `target`")
    _check_keys(value, _RELATION_KEYS, where)
    kind, target = value.get("type"), value.get("target")
    if kind not in RELATION_TYPES:
        raise _invalid(where, f"`type` must be one of {', '.join(RELATION_TYPES)}; got {kind!r}")
    if not isinstance(target, str) or not _ID.fullmatch(target):
        raise _invalid(where, "`target` must be an actor id")
    start = _bound(value.get("start"), where, last=False)
    end = _bound(value.get("end"), where, last=True)
    if start and end and end < start:
        raise _invalid(where, "`end` is before `start`")
    return Relation(kind, target, start, end)


def _bound(value: Any, where: str, *, last: bool) -> date | None:
    """A date bound from YYYY, YYYY-MM or YYYY-MM-DD; an end covers its whole period."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):  # YAML reads an unquoted 2019-10-04 as a date
        return value
    match = _PERIOD.fullmatch(str(value).strip())
    if not match or isinstance(value, bool):
        raise _invalid(where, f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None  # the pattern always captures the year
    try:
        if month is None:
            return date(year, 12, 31) if last else date(year, 1, 1)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return date(year, month, day)
    except ValueError as exc:
        raise _invalid(where, f"date {value!r} does not exist") from exc


def _check_targets(drafts: Mapping[str, _Draft]) -> None:
    for actor_id, draft in drafts.items():
        for relation, path in zip(draft.actor.relations, draft.relation_files, strict=True):
            if relation.target not in drafts:
                raise ConfigError(
                    "E502",
                    f"{path}: actor {actor_id!r} has a {relation.type} relation to "
                    f"{relation.target!r}, which no actor file defines",
                    "define that actor, or fix the id",
                )


def _check_aliases(drafts: Mapping[str, _Draft]) -> None:
    """Refuse an alias two actors share unless every one of them marks it ambiguous."""
    owners: dict[tuple[str, ...], tuple[str, str, bool]] = {}
    for actor_id, draft in drafts.items():
        actor = draft.actor
        shared = {lookup_key(a) for a in actor.ambiguous_aliases}
        for surface in actor.surfaces:
            key = lookup_key(surface)
            ambiguous = key in shared
            if key not in owners:
                owners[key] = (actor_id, surface, ambiguous)
                continue
            other_id, other_surface, other_ambiguous = owners[key]
            if other_id != actor_id and not (ambiguous and other_ambiguous):
                raise ConfigError(
                    "E503",
                    f"{draft.alias_files.get(surface, draft.path)}: alias {surface!r} of actor "
                    f"{actor_id!r} also names actor {other_id!r} (as {other_surface!r})",
                    "list it under ambiguous_aliases of both actors, or remove one",
                )


def _where(path: Path, entry: Any, number: int) -> str:
    label = entry.get("id") if isinstance(entry, Mapping) else None
    return f"{path}: actor {label!r}" if isinstance(label, str) else f"{path}: entry {number}"


def _invalid(where: str, problem: str) -> ConfigError:
    return ConfigError("E501", f"{where}: {problem}", "see the field list in actors.yaml")


def _content_hash(actors: Sequence[Actor]) -> str:
    payload = [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind,
            "country": a.country,
            "aliases": a.aliases,
            "ambiguous_aliases": a.ambiguous_aliases,
            "relations": [(r.type, r.target, str(r.start), str(r.end)) for r in a.relations],
        }
        for a in actors
    ]
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# -- spaCy component -----------------------------------------------------------------------


class ActorSpans:
    """Puts every actor name of a doc in ``doc.spans[spans_key]``.

    Each span's label is the actor's kind and its ``kb_id_`` the actor's id. Names are
    found on the text, so the component needs nothing from earlier pipes.
    """

    def __init__(self, kb: ActorKB, spans_key: str = "actors") -> None:
        self.kb = kb
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for mention in self.kb.matches(doc.text):
            actor = self.kb.get(mention.actor_id)
            if actor.kind == "civilians" and _ON_A_PAYROLL.match(doc.text, mention.end):
                continue  # "a civilian employee of the armed forces" works for them
            span = doc.char_span(
                mention.start,
                mention.end,
                label=actor.kind,
                kb_id=actor.id,
                alignment_mode="expand",
            )
            if span is not None:
                spans.append(span)
                spans += self._shared_head(doc, span)
        doc.spans[self.spans_key] = sorted(spans, key=lambda s: s.start)
        return doc

    def _shared_head(self, doc: Doc, span: Span) -> list[Span]:
        """ "rebel and terrorist groups": "rebel" names "rebel groups" too."""
        before = _COORDINATED.search(doc.text, 0, span.start_char)
        head_noun = span.text.split()[-1]
        if before is None or len(span.text.split()) < 2 or self.kb.find(before["word"]):
            return []
        actor = self.kb.find(f"{before['word']} {head_noun}")
        if actor is None:
            return []
        found = doc.char_span(
            before.start("word"), before.end("word"), label=actor.kind, kb_id=actor.id
        )
        return [found] if found is not None else []


# "civilian" qualifying the staff of an institution, not naming non-combatants.
_ON_A_PAYROLL = re.compile(r"\s+(?:employees?|staff|personnel|contractors?)\b", re.I)
_COORDINATED = re.compile(r"\b(?P<word>[A-Za-z-]+),? (?:and|or) $")


@Language.factory(
    "sitrep_actors",
    assigns=["doc.spans"],
    requires=[],
    default_config={"actor_files": [], "spans_key": "actors"},
)
def make_actor_spans(
    nlp: Language, name: str, actor_files: list[str], spans_key: str
) -> ActorSpans:
    """spaCy factory: ``nlp.add_pipe("sitrep_actors", config={"actor_files": [...]})``."""
    return ActorSpans(actor_kb(tuple(actor_files)), spans_key)
