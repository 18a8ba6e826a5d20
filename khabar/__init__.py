"""Khabar: a news publishing platform for bilingual regional newsrooms."""

__version__ = "0.1.0"
