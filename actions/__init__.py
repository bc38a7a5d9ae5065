"""Custom Rasa actions: each topic module holds short actions that delegate to knowledge/."""
