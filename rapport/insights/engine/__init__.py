"""Personality insights engine: Big Five, needs and values from text (numpy only at runtime).

Training lives in the top-level ``training`` package of a source checkout, not here.
"""

from .analyzer import NotEnoughText, analyze
from .guidance import guidance
from .model import MODEL_VERSION, get_model

__all__ = ["MODEL_VERSION", "NotEnoughText", "analyze", "get_model", "guidance"]
