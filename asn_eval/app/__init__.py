"""The review app for evaluation forums: widgets served by Voilà, and the local servers.

``review`` (:class:`~asn_eval.app.review.ReviewApp`), ``objections`` (its Keberatan panel and tab),
``tables`` (its sections and tables as HTML), ``server`` (starting Voilà and JupyterLab on
127.0.0.1, stopped with their parent).
"""
