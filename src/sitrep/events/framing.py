"""How a sentence frames what it mentions: real events, goals, claims, and places' roles.

A trigger can name something that did not happen ("a step to regain the M5" is a goal,
not a capture), a sentence can claim an event rather than report it ("the Islamic State
group claimed responsibility for the bombing"), and a place can be where an event took
place, where a force went, where it came from, or just where an actor is based.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

__all__ = [
    "aspirational",
    "attached",
    "claimant",
    "days_relative",
    "demanded",
    "hypothetical",
    "place_role",
    "running_total",
    "since_clause",
]

# Nouns whose infinitive complement is a goal, not an event: "a step to regain ...".
_GOAL_NOUNS = frozenset(
    "step bid attempt effort aim goal drive push plan hope ambition intention objective "
    "move way chance opportunity".split()
)
# Prepositions after which the noun is a goal too: "a step toward full control".
_GOAL_PREPS = frozenset("toward towards to for".split())
# Verbs whose complement has not happened yet: "hopes to retake", "seeks to capture".
_GOAL_VERBS = frozenset(
    "hope hoped hopes hoping seek sought seeks seeking try tried tries trying attempt "
    "attempted attempts want wanted wants aim aimed aims aiming strive strove".split()
)


def since_clause(trigger: Token) -> bool:
    """The trigger is background in a "since" clause: "the heaviest loss since it first
    sent troops into Syria in 2016" is no deployment of this story."""
    token = trigger
    for _ in range(4):
        if token.dep_ == "advcl" and any(c.lower_ == "since" for c in token.children):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def hypothetical(trigger: Token) -> bool:
    """The trigger names no particular event: "the right to respond to any attack"."""
    if trigger.dep_ not in ("pobj", "dobj"):
        return False  # "any aircraft entering it will be treated as hostile": a warning
    return any(child.dep_ == "det" and child.lower_ in ("any", "no") for child in trigger.children)


def aspirational(trigger: Token) -> bool:
    """The trigger is a goal someone has, not an event: "a bid to retake Saraqib"."""
    token = trigger
    for _ in range(3):
        head = token.head
        if head.i == token.i:
            return False
        infinitive = any(c.tag_ == "TO" for c in token.children)
        if token.dep_ in ("acl", "relcl") and infinitive and head.lemma_.lower() in _GOAL_NOUNS:
            return True
        if token.dep_ == "xcomp" and _GOAL_VERBS & {head.lemma_.lower(), head.lower_}:
            return True
        if (
            token.dep_ == "pobj"
            and head.lower_ in _GOAL_PREPS
            and head.head.lemma_.lower() in _GOAL_NOUNS
        ):
            return True
        if token.dep_ not in ("compound", "amod", "dobj", "pobj", "prep"):
            return False
        token = head
    return False


# A demand made of another party: "regime forces must withdraw", "called on Syrian
# forces to pull back", "gave Damascus until the end of February to withdraw".
_OBLIGATION = frozenset({"must", "should"})
_CONDITIONS = frozenset({"if", "unless"})
_DEMAND_VERBS = frozenset("call urge ask order tell demand press warn give".split())


def demanded(trigger: Token) -> Token | None:
    """The verb of the party demanding it, when the trigger is what another party is
    told to do (an ultimatum is a statement, not the withdrawal it asks for), or made a
    condition of a threat ("if Damascus did not withdraw in time"); else None."""
    if trigger.dep_ in ("prt", "advmod") and trigger.head.pos_ == "VERB":
        trigger = trigger.head  # "pull back": the verb, not its particle
    if trigger.dep_ == "advcl" and any(c.lower_ in _CONDITIONS for c in trigger.children):
        return trigger.head
    if any(child.lower_ in _OBLIGATION for child in trigger.children if child.dep_ == "aux"):
        head = trigger.head
        speaking = trigger.dep_ in ("ccomp", "xcomp") and head.pos_ in ("VERB", "AUX")
        return head if speaking else trigger
    to_do = any(child.tag_ == "TO" for child in trigger.children)
    token = trigger
    for _ in range(4):
        head = token.head
        if head.i == token.i:
            return None
        if to_do and head.pos_ == "VERB" and head.lemma_.lower() in _DEMAND_VERBS:
            return head
        if token.dep_ not in ("xcomp", "acl", "pobj", "prep", "advcl"):
            return None
        token = head
    return None


def claimant(sentence: Span) -> Token | None:
    """The subject of "claimed responsibility" in the sentence, if it is one."""
    text = sentence.text
    if "responsib" not in text and "credit" not in text:
        return None  # most sentences: no need to walk the parse
    for token in sentence:
        if token.lemma_.lower() not in ("claim", "admit", "accept"):
            continue
        objects = [c for c in token.children if c.dep_ == "dobj"]
        if any(o.lower_ in ("responsibility", "credit") for o in objects):
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            if subjects:
                return subjects[0]
    return None


# The preposition that attaches a place to the event says what part it plays.
_SITE_PREPS = frozenset("in at on near around outside across over inside along within".split())
_DESTINATION_PREPS = frozenset("to into towards toward".split())
_ORIGIN_PREPS = frozenset("from out".split())


# Nouns whose place is where an event's aftermath happens, not where the event did.
_AFTERMATH_PLACES = frozenset("hospital clinic morgue funeral burial cemetery".split())


# Verbs whose object is someone addressed: a capital there stands for its government.
_ADDRESSING_VERBS = frozenset(
    "tell inform notify warn urge ask accuse blame thank call brief assure".split()
)


def place_role(place: Span, trigger: Token, actors: list[Span]) -> str:
    """``site``, ``destination``, ``origin``, ``actor_base`` or ``context``.

    ``site``: where it happened ("shelling in Idlib", or the object of a capture verb);
    ``destination`` and ``origin``: where a force went or came from; ``actor_base``: the
    place only qualifies an actor ("groups in Syria"); ``context``: anything else in the
    sentence, a weaker hint.
    """
    # "shelling near Saraqib" is the trigger's own place, even where the parser hangs the
    # trigger from its actor ("Syrian regime shelling"); otherwise a place that hangs
    # from an actor's phrase only says where the actor is ("groups in Syria").
    if _beside_the_trigger(place, trigger):
        return "site"  # "captured villages west of Aleppo": the event is beside the place
    preposition = _governing_preposition(place, trigger)
    own = preposition is not None and preposition.head.i == trigger.i
    if not own and any(
        _describes(place, actor) and not _struck(actor, trigger) for actor in actors
    ):
        return "actor_base"
    preposition = preposition or _locative(place)
    if preposition is not None:
        if preposition.head.lemma_.lower() in _AFTERMATH_PLACES:
            return "context"  # "treated in hospitals in Hatay": where the wounded went
        word = preposition.lower_
        if word in _DESTINATION_PREPS:
            return "destination"
        if word in _ORIGIN_PREPS:
            return "origin"
        if _purpose(_governing_verb(preposition), trigger):
            return "destination"  # "a convoy heading south to reinforce the post at Morek"
        return "site"
    if attached(place, trigger):
        return "site"  # "recaptured Saraqib", "Saraqib was shelled"
    head = place.root.head
    if place.root.dep_ in ("dobj", "nsubjpass") and head.pos_ == "VERB":
        if head.lemma_.lower() in _ADDRESSING_VERBS:
            return "context"  # "Ankara had not told Moscow": a government, not a place
        return "site"  # "forces entered Maaret al-Numan, taking ...": another verb's object
    if place.root.dep_ == "ROOT" and trigger.i in {t.i for t in place.root.subtree}:
        return "site"  # a headline with no verb: "Al-Nayrab under bombardment"
    return "context"


def attached(place: Span, trigger: Token) -> bool:
    """The place belongs to the trigger's own phrase, not just to the same sentence."""
    token = place.root
    # "struck the town of Ariha": the town is the trigger's object, Ariha names it.
    while token.dep_ in ("pobj", "appos", "compound") and token.head.head.i != token.head.i:
        if token.dep_ == "pobj" and token.head.lower_ != "of":
            break
        token = token.head.head if token.dep_ == "pobj" else token.head
    predicates = {trigger.i}
    phrase = trigger  # "artillery and air strikes": the phrase's head noun
    for _ in range(3):
        if phrase.dep_ not in ("conj", "compound", "amod", "nmod") or phrase.head.i == phrase.i:
            break
        phrase = phrase.head
    if phrase.dep_ in ("nsubj", "nsubjpass") and phrase.head.pos_ == "VERB":
        predicates.add(phrase.head.i)  # "air strikes are pounding al-Nayrab"
    if token.head.i in predicates and token.dep_ in ("dobj", "nsubjpass", "nsubj"):
        return True
    return _governing_preposition(place, trigger) is not None


_COMPASS = frozenset("north south east west northeast northwest southeast southwest".split())


def _beside_the_trigger(place: Span, trigger: Token) -> bool:
    """The place is the landmark of a direction that qualifies the trigger or its object:
    "captured more villages west of Aleppo", "shelled villages south of Idlib"."""
    root = place.root
    while root.dep_ == "compound" and root.head.i != root.i:  # "north of Idlib city"
        root = root.head
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return False
    compass = root.head.head
    if compass.lower_.replace("-", "") not in _COMPASS:
        return False
    anchors = {trigger.i, *(c.i for c in trigger.children if c.dep_ in ("dobj", "nsubjpass"))}
    return compass.head.i in anchors


def _locative(place: Span) -> Token | None:
    """A locative preposition the place is the object of, whatever it hangs from
    ("smoke billowing in the village of al-Nayrab"): a site, if a looser one."""
    token = place.root
    for _ in range(5):
        head = token.head
        if head.i == token.i:
            return None
        if head.dep_ == "prep" and head.lower_ != "of":  # "the village of X": climb on
            return head if head.lower_ in _SITE_PREPS else None
        token = head
    return None


def _governing_preposition(place: Span, trigger: Token) -> Token | None:
    """The locative preposition linking the place to the trigger (or the trigger's object)."""
    anchors = {trigger.i, *(c.i for c in trigger.children if c.dep_ in ("dobj", "nsubjpass"))}
    token = place.root
    for _ in range(6):
        head = token.head
        if head.i == token.i:
            return None
        if head.dep_ == "prep" and head.lower_ != "of" and head.head.i in anchors:
            word = head.lower_
            known = _SITE_PREPS | _DESTINATION_PREPS | _ORIGIN_PREPS
            return head if word in known else None
        token = head
    return None


def _governing_verb(token: Token) -> Token:
    """The nearest verb above a token ("reinforce" above "the post at Morek")."""
    for ancestor in token.ancestors:
        if ancestor.pos_ == "VERB":
            return ancestor
    return token


def _purpose(verb: Token, trigger: Token) -> bool:
    """Whether ``verb`` is an infinitive of purpose other than the trigger ("to reinforce
    the post"): where it points is where the force was going, not where it was hit."""
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return verb.pos_ == "VERB" and infinitive and verb.i != trigger.i


def _struck(actor: Span, trigger: Token) -> bool:
    """The actor is what the trigger's verb acts on ("shelling killed eight Turkish
    personnel near Saraqib"): where its victims were is where it happened."""
    root = actor.root
    return root.dep_ == "dobj" and root.head.i in (trigger.i, trigger.head.i)


def _describes(place: Span, actor: Span) -> bool:
    """The place hangs from the actor's phrase: "Iran-backed groups in Syria"."""
    token = place.root
    for _ in range(3):
        head = token.head
        if head.i == token.i:
            return False
        if actor.start <= head.i < actor.end:
            return True
        token = head
    return False


_TALLY_VERBS = frozenset({"kill", "wound", "injure", "lose", "die", "displace"})


def running_total(sentence: Span, period: str | None) -> bool:
    """A count kept over a period, not an event: "attacks have now killed 15 soldiers this
    month", "the UN says a million people have been displaced since December" (the main
    verb counts casualties in the perfect, and its only time is ``period``, the words of
    a week, a month or a year it states); "government forces have since taken a string of
    villages" (gains summed up in the perfect, "since", many places)."""
    root = sentence.root
    said = [c for c in root.children if c.dep_ == "ccomp"]  # "the UN says ... have fled"
    verbs = [v for v in (root, *said) if _perfect(v)]
    counted = any(v.lemma_.lower() in _TALLY_VERBS for v in verbs)
    if counted and period is not None and period in sentence.text:
        return True
    return any(_gains_since(v) for v in verbs)


def _perfect(verb: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for c in verb.children)


_MANY = frozenset({"string", "series", "number", "dozens", "scores", "several", "hundreds"})


def _gains_since(verb: Token) -> bool:
    """ "have since taken a string of villages", "have since seized several towns"."""
    if not any(c.dep_ == "advmod" and c.lower_ == "since" for c in verb.children):
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    many = [o for o in objects if o.lower_ in _MANY or any(c.lower_ in _MANY for c in o.children)]
    return bool(many) or any(o.tag_ == "NNS" for o in objects)


_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def days_relative(trigger: Token) -> int | None:
    """Days from the main clause's time to the trigger's, when the trigger sits in a clause
    like "(came) a day after troops captured the town" (-1) or "two days before" (+2)."""
    clause = trigger
    while clause.dep_ != "advcl":
        if clause.head.i == clause.i or clause.dep_ in ("ROOT", "ccomp"):
            return None
        clause = clause.head
    mark = next((c for c in clause.children if c.lower_ in ("after", "before")), None)
    if mark is None:
        return None
    # spaCy hangs "a day" on the mark or on the main verb.
    spans = [*mark.children, *(c for c in clause.head.children if c.i < mark.i)]
    unit = next((t for t in spans if t.dep_ == "npadvmod" and t.lower_ in _UNIT_DAYS), None)
    if unit is None:
        return None
    count = next((_count(c) for c in unit.children if c.dep_ in ("det", "nummod")), None)
    if count is None:
        return None
    days = count * _UNIT_DAYS[unit.lower_]
    return -days if mark.lower_ == "after" else days


def _count(token: Token) -> int | None:
    if token.lower_ in _COUNTS:
        return _COUNTS[token.lower_]
    return int(token.text) if token.text.isdigit() and int(token.text) < 100 else None
