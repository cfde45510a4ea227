"""Stage 2, scoring: evidence → rating levels → predikat, under a scheme that is a data file.

``scheme`` and ``schemes/`` (schemes as TOML), ``achievement`` (capaian formulas), ``evidence``
(what the rules look at, per employee), ``predikat`` (the 3 × 3 matrix and the numeric bands),
``score`` (one period scored once: :func:`~asn_eval.scoring.score.evaluate`), ``curve`` (the
distribution curve), ``ikm`` (public satisfaction), ``explanation`` (why one predikat).
"""
