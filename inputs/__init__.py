"""Reading what users and the project hand us: bundled data, JSON Lines, scenario files.

The lowest data edge: it may import the core (``tokenomics``) and nothing else of the project,
so every other edge can use it without import cycles.
"""
