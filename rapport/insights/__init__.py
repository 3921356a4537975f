"""Personality insights: Big Five, needs and values inferred from a contact's own words."""
