"""The reader: who labels the notes' items, between the sources and the analyzers (see ``stage``)."""

from .stage import LLMReader, Reading, RulesReader, get_reader

__all__ = ["LLMReader", "Reading", "RulesReader", "get_reader"]
