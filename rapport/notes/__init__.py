"""Notes agents keep on contacts, optionally tied to an interaction."""
