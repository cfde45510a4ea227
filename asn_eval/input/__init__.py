"""Stage 1, input: what evaluators receive, read and checked into one typed :class:`Dataset`.

``contract`` (tables, columns, aliases), ``vocab`` (labels and their spellings), ``nip``,
``periode`` (the :class:`~asn_eval.input.periode.Periode` value), ``readers`` (CSV, Excel,
Parquet), ``validation`` (every check, as ``file:row:column`` problems), ``problems`` (the problem
record), ``dataset`` (``load``, ``validate``, the content-keyed cache).
"""
