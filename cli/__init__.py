"""The command line, ``tokenomics`` (or ``python -m tokenomics``): a shell around the core and its edges.

``main.py`` builds the parser and turns an ``InputError`` into one line and exit status 2; each
module in ``commands/`` adds one subcommand through ``register(subparsers)``, and its ``run(args)``
returns the text to print.
"""
