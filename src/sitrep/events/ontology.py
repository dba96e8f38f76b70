"""The event ontology: ACLED's event and sub-event types, sitrep's own additions, and maps.

ACLED's six event types and twenty-five sub-event types are kept with ACLED's exact
names, so that sitrep's output can be compared with (and merged into) ACLED-style data.
Each sub-event type also carries:

- ``disorder_types``: ACLED's disorder type(s). ACLED files two sub-event types, where
  violence happens inside a demonstration, under both "Political violence" and
  "Demonstrations" (shown joined as ``"Political violence; Demonstrations"``).
- ``plover``: the PLOVER event category, mode(s) and context(s) it corresponds to, read
  from the PLOVER manual (draft 0.8, 2021) and its CAMEO-to-PLOVER table. PLOVER 0.8 has
  no FIGHT category: all uses of force, one-sided or two-sided, are ASSAULT, told apart by
  mode (``firearms``, ``aerial``, ``heavy-weapons`` ...). Older PLOVER data, such as the
  gold-standard records, still say FIGHT for conventional fighting.
- ``cameo``: representative CAMEO codes (their first two digits are the CAMEO root).

News analysis also needs a few things ACLED does not code as events of their own. They
live under a separate event type, :data:`SITREP_EVENT_TYPE`, flagged ``acled=False``, so
that nothing sitrep adds can be mistaken for an ACLED category. Each names the ACLED
sub-event type an ACLED coder would most likely have used (``acled_fallback``), or
``None`` where ACLED would record nothing; exports to ACLED's scheme go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = [
    "ACLED_EVENT_TYPES",
    "DISORDER_TYPES",
    "SITREP_EVENT_TYPE",
    "EventType",
    "PloverCode",
    "SubEventType",
    "acled_types",
    "all_types",
    "by_sub_event",
    "event_types",
]

POLITICAL_VIOLENCE = "Political violence"
DEMONSTRATIONS = "Demonstrations"
STRATEGIC_DEVELOPMENTS = "Strategic developments"
DISORDER_TYPES = (POLITICAL_VIOLENCE, DEMONSTRATIONS, STRATEGIC_DEVELOPMENTS)

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
ACLED_EVENT_TYPES = (
    BATTLES,
    EXPLOSIONS,
    VIOLENCE_AGAINST_CIVILIANS,
    PROTESTS,
    RIOTS,
    STRATEGIC_DEVELOPMENTS,
)
SITREP_EVENT_TYPE = "Political and military developments (sitrep)"


@dataclass(frozen=True)
class PloverCode:
    """A PLOVER event category with optional modes ("how") and contexts ("why")."""

    event: str
    modes: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "/".join([self.event, *self.modes]) if self.modes else self.event


@dataclass(frozen=True)
class SubEventType:
    """One sub-event type: the unit sitrep's classifier assigns."""

    name: str
    event_type: str
    disorder_types: tuple[str, ...]
    plover: PloverCode
    cameo: tuple[str, ...]
    definition: str
    acled: bool = True
    acled_fallback: str | None = None  # only for sitrep's own types

    @property
    def disorder_type(self) -> str:
        """ACLED's spelling: several disorder types joined by "; "."""
        return "; ".join(self.disorder_types)

    @property
    def cameo_roots(self) -> tuple[str, ...]:
        """The CAMEO root codes (first two digits), in first-seen order."""
        return tuple(dict.fromkeys(code[:2] for code in self.cameo))

    @property
    def acled_name(self) -> str | None:
        """The ACLED sub-event type this maps to when exporting to ACLED's scheme."""
        return self.name if self.acled else self.acled_fallback


@dataclass(frozen=True)
class EventType:
    """An event type and its sub-event types, in ACLED's order."""

    name: str
    acled: bool
    sub_event_types: tuple[SubEventType, ...]


def _sub(
    name: str,
    event_type: str,
    disorder: tuple[str, ...],
    plover: PloverCode,
    cameo: tuple[str, ...],
    definition: str,
) -> SubEventType:
    return SubEventType(name, event_type, disorder, plover, cameo, definition)


_PV = (POLITICAL_VIOLENCE,)
_DEMO = (DEMONSTRATIONS,)
_PV_DEMO = (POLITICAL_VIOLENCE, DEMONSTRATIONS)
_SD = (STRATEGIC_DEVELOPMENTS,)
# A battle in which ground changes hands: the fighting is the act (ASSAULT); the territory
# context records what was at stake. CAMEO 192 "occupy territory" is the seizure itself.
_TERRITORY = PloverCode("ASSAULT", (), ("territory",))

_BATTLES = (
    _sub(
        "Armed clash",
        BATTLES,
        _PV,
        PloverCode("ASSAULT", ("firearms",)),
        ("190", "193"),
        "Organised armed groups fight each other and no side is reported to take ground.",
    ),
    _sub(
        "Government regains territory",
        BATTLES,
        _PV,
        PloverCode("ASSAULT", (), ("territory", "military")),
        ("190", "192"),
        "State forces, or groups fighting for them, win back a place from an opponent.",
    ),
    _sub(
        "Non-state actor overtakes territory",
        BATTLES,
        _PV,
        _TERRITORY,
        ("190", "192"),
        "A non-state armed group takes a place by force, from the state or another group.",
    ),
)

_EXPLOSIONS = (
    _sub(
        "Air/drone strike",
        EXPLOSIONS,
        _PV,
        PloverCode("ASSAULT", ("aerial", "drone")),
        ("195",),
        "Bombs or missiles delivered by aircraft, helicopters or drones.",
    ),
    _sub(
        "Shelling/artillery/missile attack",
        EXPLOSIONS,
        _PV,
        PloverCode("ASSAULT", ("heavy-weapons",)),
        ("194",),
        "Artillery, mortars, rockets or missiles fired from the ground or sea at a distance.",
    ),
    _sub(
        "Remote explosive/landmine/IED",
        EXPLOSIONS,
        _PV,
        PloverCode("ASSAULT", ("explosives",)),
        ("183", "1832", "1833"),
        "A planted or remotely triggered device: mine, IED, car or roadside bomb.",
    ),
    _sub(
        "Suicide bomb",
        EXPLOSIONS,
        _PV,
        PloverCode("ASSAULT", ("suicide-attack",)),
        ("183", "1831"),
        "An attacker detonates explosives on their body or in their vehicle.",
    ),
    _sub(
        "Grenade",
        EXPLOSIONS,
        _PV,
        PloverCode("ASSAULT", ("explosives",)),
        ("183",),
        "A hand-thrown explosive; rocket-propelled grenades are fighting, not this.",
    ),
    _sub(
        "Chemical weapon",
        EXPLOSIONS,
        _PV,
        PloverCode("ASSAULT", ("unconventional",), ("cbrn",)),
        ("204", "2041"),
        "Toxic chemicals used as a weapon (chlorine, sarin, mustard agent ...).",
    ),
)

_CIVILIANS = (
    _sub(
        "Attack",
        VIOLENCE_AGAINST_CIVILIANS,
        _PV,
        PloverCode("ASSAULT", ("targeted",)),
        ("180", "1823", "186", "202"),
        "An armed group kills, wounds or beats unarmed people who are not fighting.",
    ),
    _sub(
        "Abduction/forced disappearance",
        VIOLENCE_AGAINST_CIVILIANS,
        _PV,
        PloverCode("ASSAULT", ("abduct",)),
        ("181",),
        "People are kidnapped, taken hostage, or made to disappear by an armed group.",
    ),
    _sub(
        "Sexual violence",
        VIOLENCE_AGAINST_CIVILIANS,
        _PV,
        PloverCode("ASSAULT", ("sexual",), ("gender",)),
        ("1821",),
        "Rape or other sexual violence used by an armed group or in political violence.",
    ),
)

_PROTESTS = (
    _sub(
        "Peaceful protest",
        PROTESTS,
        _DEMO,
        PloverCode("PROTEST", ("demo",)),
        ("141",),
        "A non-violent demonstration that nobody tries to break up.",
    ),
    _sub(
        "Protest with intervention",
        PROTESTS,
        _DEMO,
        PloverCode("PROTEST", ("demo",), ("repression",)),
        ("141", "173"),
        "A non-violent demonstration that authorities disperse or suppress, "
        "without serious injuries (arrests, tear gas, baton charges).",
    ),
    _sub(
        "Excessive force against protesters",
        PROTESTS,
        _PV_DEMO,
        PloverCode("ASSAULT", (), ("repression",)),
        ("175", "141"),
        "Peaceful demonstrators are killed or seriously hurt, for example by live fire.",
    ),
)

_RIOTS = (
    _sub(
        "Violent demonstration",
        RIOTS,
        _DEMO,
        PloverCode("PROTEST", ("riot",)),
        ("145",),
        "Demonstrators themselves use violence or destroy property "
        "(stones, arson, vandalism, burning barricades).",
    ),
    _sub(
        "Mob violence",
        RIOTS,
        _PV_DEMO,
        PloverCode("ASSAULT", ("beat", "primitive")),
        ("182", "1823", "145"),
        "A crowd without an organised demonstration attacks people or property: "
        "lynchings, vigilante beatings, communal rampages.",
    ),
)

_STRATEGIC = (
    _sub(
        "Agreement",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        # PLOVER codes signing or finalising an agreement as SUPPORT; a promise to sign
        # would be AGREE, an implemented truce RETREAT/ceasefire.
        PloverCode("SUPPORT", (), ("diplomatic",)),
        ("057", "0871", "0356"),
        "Parties conclude a deal: truce, ceasefire, evacuation or prisoner exchange, peace accord.",
    ),
    _sub(
        "Arrests",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        PloverCode("COERCE", ("arrest",), ("legal",)),
        ("173",),
        "State authorities detain people (one-off or in sweeps) outside a protest.",
    ),
    _sub(
        "Change to group/activity",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        # PLOVER has no category for a group's reorganisation; MOBILIZE/militia is its
        # nearest neighbour for recruitment, new formations and shifts in activity.
        PloverCode("MOBILIZE", ("militia",)),
        ("150", "154"),
        "A group forms, merges, splits, renames, changes leaders or changes what it does.",
    ),
    _sub(
        "Disrupted weapons use",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        PloverCode("COERCE", ("seize",), ("military",)),
        ("171", "1711"),
        "An attack is foiled before it lands: devices defused, missiles or drones "
        "intercepted, weapons caches seized.",
    ),
    _sub(
        "Headquarters or base established",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        PloverCode("MOBILIZE", ("troops",), ("military",)),
        ("154",),
        "An armed group sets up a base, headquarters or permanent position without a fight.",
    ),
    _sub(
        "Looting/property destruction",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        PloverCode("ASSAULT", ("destroy",), ("human_security",)),
        ("1712", "171"),
        "Armed groups loot, burn or demolish property outside a battle or riot.",
    ),
    _sub(
        "Non-violent transfer of territory",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        PloverCode("RETREAT", ("withdraw",), ("territory",)),
        ("0874", "192"),
        "Control of a place changes hands without fighting: withdrawal, handover.",
    ),
    _sub(
        "Other",
        STRATEGIC_DEVELOPMENTS,
        _SD,
        # ACLED's residual class is dominated by coercive steps short of violence
        # (curfews, emergency rule, prisoner releases), hence the generic COERCE.
        PloverCode("COERCE"),
        ("170", "1723", "0841"),
        "A politically important development that fits no other sub-event type.",
    ),
)

_SITREP = (
    SubEventType(
        "Troop deployment/reinforcement",
        SITREP_EVENT_TYPE,
        _SD,
        PloverCode("MOBILIZE", ("troops",), ("military",)),
        ("154", "152"),
        "Forces, convoys or reinforcements are sent to or massed on a front.",
        acled=False,
        acled_fallback="Change to group/activity",
    ),
    SubEventType(
        "Military support by a third party",
        SITREP_EVENT_TYPE,
        _SD,
        PloverCode("AID", (), ("military",)),
        ("072", "062"),
        "An outside state or group supplies weapons, air cover, advisers or fighters to a party.",
        acled=False,
        acled_fallback=None,
    ),
    SubEventType(
        "Official statement/accusation",
        SITREP_EVENT_TYPE,
        _SD,
        PloverCode("ACCUSE", ("disapprove", "allege")),
        ("111", "112"),
        "An official or institution condemns, accuses, blames or warns another party.",
        acled=False,
        acled_fallback=None,
    ),
)

_EVENT_TYPES = (
    EventType(BATTLES, True, _BATTLES),
    EventType(EXPLOSIONS, True, _EXPLOSIONS),
    EventType(VIOLENCE_AGAINST_CIVILIANS, True, _CIVILIANS),
    EventType(PROTESTS, True, _PROTESTS),
    EventType(RIOTS, True, _RIOTS),
    EventType(STRATEGIC_DEVELOPMENTS, True, _STRATEGIC),
    EventType(SITREP_EVENT_TYPE, False, _SITREP),
)


def event_types() -> tuple[EventType, ...]:
    """ACLED's six event types in ACLED's order, then sitrep's own."""
    return _EVENT_TYPES


def all_types() -> tuple[SubEventType, ...]:
    """Every sub-event type, ACLED's twenty-five first."""
    return tuple(sub for event in _EVENT_TYPES for sub in event.sub_event_types)


def acled_types() -> tuple[SubEventType, ...]:
    """ACLED's twenty-five sub-event types only."""
    return tuple(sub for sub in all_types() if sub.acled)


@cache
def _index() -> dict[str, SubEventType]:
    return {sub.name.casefold(): sub for sub in all_types()}


def by_sub_event(name: str) -> SubEventType:
    """The sub-event type called ``name`` (case-insensitive); KeyError if unknown."""
    try:
        return _index()[name.strip().casefold()]
    except KeyError:
        raise KeyError(f"unknown sub-event type {name!r}") from None
