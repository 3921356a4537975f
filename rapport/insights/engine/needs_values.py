"""Curated indicator word lists for the twelve needs.

No labelled data exists for needs, so these lists encode the published Watson definitions of
each need as words that express it. Scores built from them are indicators, not measurements.
"""

from __future__ import annotations

NEEDS: dict[str, dict[str, str]] = {
    "challenge": {
        "name": "Challenge",
        "about": "a drive to achieve, compete and take on hard things",
        "words": "challeng* compet* achiev* goal* win winning won succeed* success* "
        "ambitio* accomplish* overcome* conquer* push* prove harder toughest strive* "
        "master* beat* record*",
    },
    "closeness": {
        "name": "Closeness",
        "about": "being connected to family and making a home",
        "words": "family famil* home mom* dad* mother* father* brother* sister* parent* "
        "grandm* grandp* kids children child house cozy hometown together belong*",
    },
    "curiosity": {
        "name": "Curiosity",
        "about": "a desire to discover, find out and grow",
        "words": "curious* wonder* discover* learn* explor* question* why understand* "
        "research* interest* fascinat* find figure* knowledge idea* study* investigat*",
    },
    "excitement": {
        "name": "Excitement",
        "about": "wanting to get out there, live life and have fun",
        "words": "excit* fun party parties thrill* adventur* wild crazy awesome amazing "
        "blast concert* dance danc* rush spontaneous* celebrat* energ*",
    },
    "harmony": {
        "name": "Harmony",
        "about": "appreciating other people, their views and feelings",
        "words": "agree* understand* respect* peace* calm* kind* consider* feel* "
        "compromis* share* sharing gentle* polite* appreciat* listen* patien* fair*",
    },
    "ideal": {
        "name": "Ideal",
        "about": "a desire for perfection and a sense of community",
        "words": "perfect* ideal* community commun* better world society justice* "
        "principle* should dream* purpose* meaning* vision* right values",
    },
    "liberty": {
        "name": "Liberty",
        "about": "a need for new things, freedom and escape",
        "words": "free freedom independen* escape* travel* new change* leave leaving "
        "away trip* road explore* own myself choice* choose* fashion*",
    },
    "love": {
        "name": "Love",
        "about": "enjoying social contact, one-to-one or in groups",
        "words": "love* loving friend* boyfriend* girlfriend* hug* together people "
        "social* talk* date* dating relationship* close romant* care caring",
    },
    "practicality": {
        "name": "Practicality",
        "about": "a desire to get the job done, with skill and efficiency",
        "words": "job work* done finish* efficien* practical* useful* fix* build* "
        "task* skill* handle* manage* get need* use using tool* time",
    },
    "self_expression": {
        "name": "Self-expression",
        "about": "discovering and asserting one's own identity",
        "words": "myself identity express* style* creat* write writing music art* "
        "opinion* believe* voice* unique* individual* personality* who",
    },
    "stability": {
        "name": "Stability",
        "about": "a preference for the sensible, tried and tested",
        "words": "stable* stabil* secur* safe* steady* routine* normal* usual* always "
        "consistent* reliab* depend* same sure certain* tradition* careful*",
    },
    "structure": {
        "name": "Structure",
        "about": "groundedness, organisation and planning",
        "words": "plan* organiz* organis* schedul* order* list* rule* system* prepar* "
        "detail* structur* neat* clean* tidy* deadline* calendar* method*",
    },
}

# Higher-order Schwartz values as unions of the ten basic values (Schwartz, 1992).
VALUE_GROUPS: dict[str, dict[str, object]] = {
    "self_transcendence": {
        "name": "Self-transcendence",
        "about": "helping others",
        "basic": ["Universalism", "Benevolence"],
    },
    "conservation": {
        "name": "Conservation",
        "about": "tradition",
        "basic": ["Tradition", "Conformity", "Security"],
    },
    "hedonism": {"name": "Hedonism", "about": "taking pleasure in life", "basic": ["Hedonism"]},
    "self_enhancement": {
        "name": "Self-enhancement",
        "about": "achieving success",
        "basic": ["Achievement", "Power"],
    },
    "openness_to_change": {
        "name": "Openness to change",
        "about": "excitement",
        "basic": ["Self-Direction", "Stimulation"],
    },
}
