"""Moving projects in and out of the database: imports in one transaction, exports, and
the printable reliability report. The file formats themselves live in
:mod:`accord.interop`; this package only wires them to accounts, projects and layers.
"""
