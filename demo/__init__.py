"""The demo app: the demo users, the demo county (``seed_demo``) and the city-scale data set (``seed_scale``).

It is the top of the layers (see README, "Layers"): it writes every app's records through their
services and nothing imports it. ``demo.names`` (the one pool of made-up names) imports nothing, so
tests can use it without loading the seeding code.
"""
