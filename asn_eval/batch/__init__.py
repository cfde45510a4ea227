"""Stage 5, batch: every agency's report through Papermill, in parallel warm kernels.

``runner`` (plan → execute → publish → manifest), ``kernel`` (the warm kernel and the Papermill
call), ``isolation`` (restoring a kernel between reports), ``publish`` (HTML, PDF and slides).
"""
