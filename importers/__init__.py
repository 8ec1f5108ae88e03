"""Importers: one module per outside format, each turning files into rows or records.

`tabular` reads csv/xlsx files into rows with line numbers; `headers` maps their
column headers to canonical field names.
"""
