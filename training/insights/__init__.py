"""Training of the personality insights model (needs scikit-learn, the `train` extra).

Run it from a source checkout: ``python -m training.insights train [--data PATH] ...``.
The server only reads the artifacts it writes (``rapport/insights/engine/model/``).
"""
