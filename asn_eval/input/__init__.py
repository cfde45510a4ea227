"""Stage 1, input: what evaluators receive, read and checked into one typed :class:`Dataset`.

``contract`` (tables, columns, aliases), ``vocab`` (labels and their spellings), ``nip``,
``periode`` (the :class:`~asn_eval.input.periode.Periode` value), ``readers`` (CSV, Excel,
Parquet; ``parquet_frames`` turns a Parquet table into pandas), ``validation`` (every check, as
``file:row:column`` problems; the rules that span a table's rows in ``row_rules``, rows grouped by
key in ``groups``), ``problems`` (the problem record), ``dataset`` (``load``, ``validate``, the
content-keyed cache).
"""
