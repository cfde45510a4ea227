"""The review app's Voilà, private by default: ``python -m asn_eval.app.launcher NOTEBOOK [OPSI]``.

:func:`asn_eval.app.server.serve_app` runs this module instead of ``python -m voila``. It is Voilà
0.5 (on jupyter_server 2) with what a server holding names and NIPs needs, set through their own
settings where they have one:

- **Token.** ``Voila.token`` comes from the environment variable :data:`TOKEN_VARIABLE` (removed
  before any kernel starts, and never on a command line that ``ps`` shows). A page, an API call
  or a websocket without the token, or the login cookie that the first visit with it sets, is
  refused; a page with a short Indonesian 403 instead of jupyter_server's English login form.
  The cookie is ``SameSite=Strict`` and lasts until the browser closes.
- **Host.** Requests are routed only for the loopback names (``localhost``, ``127.0.0.1``,
  ``::1``) and, when serving a LAN address, that address; any other ``Host`` (DNS rebinding)
  gets 403 from every route, static files and websockets included. On loopback
  jupyter_server's own check (``allow_remote_access=False``) stands behind it.
- **Origin.** jupyter_server skips the Origin check for token-authenticated requests;
  :class:`LocalIdentityProvider` never skips it, so a websocket or POST from a page of another
  origin is refused even with the token.
- **Nothing unauthenticated.** Voilà's ``/voila/query/<kernel>`` websocket (request details for
  a kernel's ``get_query_string``, which the app does not use) answers anyone and keeps each
  page's URL, token included: it is not served. No configuration file is read from the working
  folder (Voilà reads ``voila.py`` there, which is code).
- **A kernel limit.** :class:`LimitedKernelManager` starts at most ``max_kernels`` kernels
  (open pages plus preheated ones): a page beyond it gets an Indonesian 503 and starts nothing;
  the preheated pool refills when a kernel ends.
- **Closed pages end their kernel.** Voilà's page sends a shutdown request on ``beforeunload``
  with the ``_xsrf`` cookie, which the preheated page never set, so the request was refused:
  :class:`PageHandler` sets it. Pages that vanish without it (a crash, a lost network) are culled
  after ``MappingKernelManager.cull_idle_timeout`` with no connection.
- **Over a LAN**, responses are gzipped (the page's ~5 MB of scripts become ~1.3 MB).
- **It dies with its parent.** A thread watches the parent process: once it is gone the server
  stops its kernels, and exits after :data:`GRACE_S` even if stopping hangs (kernels then end by
  their own parent check). SIGTERM before the server listens ends it at once (Voilà's own
  handler fails there). Ctrl-C (SIGINT) works even when inherited as ignored.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import os
import re
import signal
import sys
import tempfile
import threading
import time
import uuid
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.log import log_request
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, default
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.utils import ENV_VARIABLE

__all__ = [
    "GRACE_S",
    "LOOPBACK",
    "PARENT_VARIABLE",
    "TOKEN_VARIABLE",
    "LimitedKernelManager",
    "LocalIdentityProvider",
    "PageHandler",
    "PrivateVoila",
    "allowed_hosts",
    "main",
]

TOKEN_VARIABLE = "ASN_EVAL_APP_TOKEN"
"""Environment variable holding the server's token (read once, then removed)."""

PARENT_VARIABLE = "ASN_EVAL_APP_PARENT"
"""Environment variable holding the pid of the process whose death stops the server."""

LOOPBACK = ("localhost", "127.0.0.1", "::1")
"""Host names always served: this machine's own."""

GRACE_S = 6.0
"""Seconds a server whose parent died may take to shut its kernels down before it exits."""

_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5; }}
</style></head><body><h1>{title}</h1>{body}</body></html>"""

_PRIVATE = (
    "Aplikasi tinjauan ini pribadi",
    "<p>Buka alamat lengkap yang dicetak <code>asn-eval app</code> di terminal, yang berakhiran "
    "<code>?token=…</code>. Sesudah kunjungan pertama dengan token, peramban ini diingat sampai "
    "aplikasi dihentikan.</p>",
)

_FULL = (
    "Aplikasi tinjauan sedang penuh",
    "<p>Sudah ada {n} kernel (halaman terbuka dan yang disiapkan), batas server ini. Tutup halaman "
    "aplikasi yang tidak dipakai lagi, tunggu sebentar, lalu muat ulang halaman ini. Batasnya "
    "diubah dengan <code>asn-eval app … --maks-kernel N</code>.</p>",
)

_FOREIGN = (
    "Alamat tidak dilayani",
    "<p>Server ini hanya menjawab alamat {names}, bukan <code>{host}</code>.</p>",
)


def _page(title: str, body: str) -> str:
    return _PAGE.format(title=html.escape(title), body=body)


def allowed_hosts(ip: str) -> list[str]:
    """Return the ``Host`` names a server listening on ``ip`` answers.

    Parameters
    ----------
    ip : str
        The address the server listens on (``127.0.0.1`` or a LAN address).

    Returns
    -------
    list of str
        :data:`LOOPBACK`, then ``ip`` when it is not one of them.
    """
    return [*LOOPBACK, *([] if ip in LOOPBACK else [ip])]


def _host_pattern(hosts: list[str]) -> str:
    """Tornado host pattern (matched against the Host header without its port) for ``hosts``."""
    names = []
    for host in hosts:
        try:
            is_v6 = ipaddress.ip_address(host).version == 6
        except ValueError:
            is_v6 = False
        names.append(re.escape(f"[{host}]" if is_v6 else host))
    return f"^({'|'.join(names)})$"


class LocalIdentityProvider(PasswordIdentityProvider):
    """jupyter_server's token identity, with the Origin always checked and no login form.

    jupyter_server skips the Origin check for requests that carry the token (scripts); a browser
    page of another origin must never drive the app, token or not. The login form (English, and
    a second way in) is not served: the way in is the address with the token.
    """

    @default("cookie_options")
    def _cookie_options_default(self) -> dict[str, Any]:
        # Sent by this site's own pages only, and forgotten when the browser closes (it would be
        # void after a restart anyway: the cookie secret is new each time).
        return {"samesite": "Strict", "expires_days": None}

    def should_check_origin(self, handler: tornado.web.RequestHandler) -> bool:
        """Check the Origin of every request (the upstream default skips token requests)."""
        return True

    def get_handlers(self) -> list[tuple[str, object]]:
        """Serve no login or logout page."""
        return []


class LimitedKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager that never runs more than :attr:`max_kernels` kernels.

    Every kernel starts through :meth:`start_kernel` (Voilà's preheated pool wraps this class).
    A page's kernel beyond the limit is refused; a pool refill waits until a kernel has ended.
    """

    max_kernels = Integer(
        8, config=True, help="Paling banyak kernel sekaligus: halaman terbuka dan yang disiapkan."
    )

    def __init__(self, **kwargs: Any) -> None:
        self._starting: set[str] = set()
        self._closing = False
        super().__init__(**kwargs)

    def live_kernels(self) -> int:
        """Return how many kernels run or are starting."""
        return len(set(self.list_kernel_ids()) | self._starting)

    def room_for_page(self, notebook: str | None) -> bool:
        """Whether a page for ``notebook`` can be served now without passing the limit.

        A preheated kernel that is ready is always taken (it exists already); otherwise a page
        needs a new kernel, and there must be room for one.
        """
        pools = getattr(self, "_pools", {})
        for task in pools.get(notebook, ()):
            if task.done() and not task.cancelled() and task.exception() is None:
                return True
        return self.live_kernels() < self.max_kernels

    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        """Start a kernel within the limit: a pool refill waits for room, a page is refused."""
        preheat = (kwargs.get("env") or {}).get(ENV_VARIABLE.VOILA_PREHEAT) == "True"
        while self.live_kernels() >= self.max_kernels:
            if self._closing or not preheat:
                raise tornado.web.HTTPError(503, "batas kernel tercapai")
            await asyncio.sleep(0.5)
        kernel_id = kwargs.get("kernel_id") or str(uuid.uuid4())
        kwargs["kernel_id"] = kernel_id
        self._starting.add(kernel_id)
        try:
            return await super().start_kernel(**kwargs)
        finally:
            self._starting.discard(kernel_id)

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        """Stop every kernel; refills still waiting for room give up."""
        self._closing = True
        await super().shutdown_all(*args, **kwargs)


class PageHandler(TornadoVoilaHandler):
    """Voilà's page, refused without the token (403) or beyond the kernel limit (503)."""

    @allow_unauthenticated  # answered here, in Indonesian, instead of a redirect to a login form
    async def get(self, path: str | None = None) -> None:
        """Serve the app's page, or say why not."""
        if self.current_user is None:
            self._refuse(403, *_PRIVATE)
            return
        manager = self.kernel_manager
        if isinstance(manager, LimitedKernelManager) and not manager.room_for_page(
            self.notebook_path
        ):
            self.set_header("Retry-After", "30")
            title, body = _FULL
            self._refuse(503, title, body.format(n=manager.max_kernels))
            return
        # The page's beforeunload handler sends this cookie back with its shutdown request;
        # without it Voilà refuses the request and the closed page's kernel lives on.
        self.xsrf_token  # noqa: B018 (reading it sets the cookie)
        await super().get(path)

    def _refuse(self, status: int, title: str, body: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(_page(title, body))


class _ForeignHostHandler(tornado.web.RequestHandler):
    """Every request whose Host is not served: 403, whatever the path or method."""

    def prepare(self) -> None:
        names = ", ".join(self.settings["asn_eval_hosts"])
        title, body = _FOREIGN
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(
            _page(title, body.format(names=html.escape(names), host=html.escape(self.request.host)))
        )


class PrivateVoila(Voila):
    """Voilà with a token, Host and Origin checks, a kernel limit, and a life bound to its parent.

    The token is passed as the ``token`` trait (see :func:`main`); the listening address is
    ``Voila.ip``, whose non-loopback value is the LAN address also accepted as Host.
    """

    name = "asn-eval-app"

    @default("identity_provider_class")
    def _identity_provider_class_default(self) -> type:
        return LocalIdentityProvider

    @default("config_file_paths")
    def _config_file_paths_default(self) -> list[str]:
        return []  # never voila.py / voila.json from the working folder or ~/.jupyter

    def hosts(self) -> list[str]:
        """Return the Host names this server answers (see :func:`allowed_hosts`)."""
        return allowed_hosts(self.ip)

    def init_settings(self) -> dict[str, Any]:
        """Voilà's settings with the Host check on and a referrer kept to this origin."""
        settings = super().init_settings()
        loopback_only = self.ip in LOOPBACK
        # Voilà hard-codes True. A LAN address is not a loopback address, which jupyter_server's
        # check would refuse whatever local_hostnames says: there the host routing of start()
        # is the check (it is on for every route in both cases).
        settings["allow_remote_access"] = not loopback_only
        settings["local_hostnames"] = ["localhost"]
        settings["asn_eval_hosts"] = self.hosts()
        headers = settings.setdefault("headers", {})
        headers.setdefault("Referrer-Policy", "same-origin")  # the token stays on this origin
        settings["log_function"] = log_request  # jupyter_server's: tokens in URLs not logged
        # ~5 MB of scripts per page: gzip (a quarter of it) pays over a forum's Wi-Fi, not here.
        settings["compress_response"] = not loopback_only
        return settings

    def init_handlers(self) -> list[tuple[Any, ...]]:
        """Voilà's routes, with :class:`PageHandler` for the page and no ``/voila/query``."""
        handlers = []
        for rule in super().init_handlers():
            if rule[1] is RequestInfoSocketHandler:
                continue
            if rule[1] is TornadoVoilaHandler:
                rule = (rule[0], PageHandler, *rule[2:])
            handlers.append(rule)
        return handlers

    def start(self) -> None:
        """As Voilà's ``start``, routing only the served Host names; others get 403."""
        self.connection_dir = tempfile.mkdtemp(prefix="voila_", dir=self.connection_dir_root)
        settings = self.init_settings()
        self.app = tornado.web.Application(**settings)
        self.app.settings.update(self.tornado_settings)
        self.app.add_handlers(_host_pattern(self.hosts()), self.init_handlers())
        self.app.add_handlers(".*$", [(r".*", _ForeignHostHandler)])
        self.listen()

    def _handle_signal_stop(self, sig: int, frame: object) -> None:
        """SIGTERM: stop serving, or, before serving, exit (Voilà's handler fails there)."""
        loop = getattr(self, "ioloop", None)
        if loop is None:
            raise SystemExit(0)  # no kernel runs before the loop does
        loop.add_callback_from_signal(loop.stop)

    def watch_parent(self, parent: int) -> None:
        """Stop the server once process ``parent`` is no longer this one's parent.

        Runs in a daemon thread. The loop is asked to stop, which shuts the kernels down; if
        that has not ended the process after :data:`GRACE_S`, it exits anyway.
        """
        while os.getppid() == parent:
            time.sleep(0.5)
        self.log.warning("Proses induk berhenti: server aplikasi ikut berhenti.")
        loop = getattr(self, "ioloop", None)
        if loop is not None:
            loop.add_callback(loop.stop)
        time.sleep(GRACE_S)
        os._exit(1)


def main(argv: list[str] | None = None) -> None:
    """Run :class:`PrivateVoila` with Voilà's command line (``argv``, default ``sys.argv``).

    The token is read from :data:`TOKEN_VARIABLE` and removed from the environment; the
    process in :data:`PARENT_VARIABLE` (default: the parent now) is watched.

    Raises
    ------
    SystemExit
        With code 2 when no token is given.
    """
    token = os.environ.pop(TOKEN_VARIABLE, "")
    if not token:
        print(f"{TOKEN_VARIABLE} kosong: server tanpa token tidak dimulai", file=sys.stderr)
        raise SystemExit(2)
    parent = int(os.environ.pop(PARENT_VARIABLE, "") or os.getppid())
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if inherited as ignored
    app = PrivateVoila.instance(token=token)
    threading.Thread(target=app.watch_parent, args=(parent,), daemon=True).start()
    app.initialize(sys.argv[1:] if argv is None else argv)
    app.start()


if __name__ == "__main__":
    # Run from the imported module, not this __main__ copy: the kernel manager class named in
    # the configuration is asn_eval.app.launcher's, and isinstance checks need that very class.
    from asn_eval.app.launcher import main as imported_main

    imported_main()
