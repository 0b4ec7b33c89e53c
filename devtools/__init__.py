"""Development tools, not part of the installed product: the generators behind ``make generate``.

They build the module's generated ``.tf`` files and README tables, the program's copy in the module, and the
project README's and docs' generated tables, all from the definitions the runtime uses (the field table, the
rule table, the eID table). ``python -m devtools.generate --check`` fails when a committed file is stale.
"""
