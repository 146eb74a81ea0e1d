"""The program's rules, free of Django: entity types, eligibility, identifiers, lifecycle, clocks.

Everything here is plain data and pure functions so that the rules can be read, tested and
reused by the portal, the API and the command line alike.
"""
