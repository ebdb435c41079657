"""The widget embedded with one tag on another site's page: CORS, origin checks, resume, download."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.server.live_server import LiveServer, live_settings, run_live_server
from tests.server.widget_driver import browse, browser_fixture, open_widget, type_answer, wait_idle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.integration]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (signature is the stdlib's)
        pass


class CustomerSite:
    """A customer's static site on its own loopback origin (a real HTTP server, not a browser stub)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def page_embedding(self, api: LiveServer, name: str) -> str:
        """Writes a page that embeds the widget from `api` exactly as the README tells customers to."""
        (self.root / name).write_text(
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Customer site</title>"
            "<link rel='icon' href='data:,'></head><body><h1>Pricing</h1>"
            f"<script src='{api.url('/widget.js')}' data-key='{api.widget_key}' data-api='{api.base_url}'"
            " defer></script></body></html>",
            encoding="utf-8",
        )
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def customer_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CustomerSite]:
    site = CustomerSite(tmp_path_factory.mktemp("customer-site"))
    yield site
    site.close()


@pytest.fixture(scope="module")
def api_allowing_customer(
    tmp_path_factory: pytest.TempPathFactory, customer_site: CustomerSite
) -> Iterator[LiveServer]:
    settings = live_settings(
        tmp_path_factory.mktemp("embed-api") / "data", allowed_origins=[customer_site.origin]
    )
    with run_live_server(settings) as server:
        yield server


@pytest.fixture(scope="module")
def api_not_allowing_customer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with run_live_server(live_settings(tmp_path_factory.mktemp("other-api") / "data")) as server:
        yield server


def test_embedded_on_an_allowed_origin_works_across_origins(
    browser: Browser,
    customer_site: CustomerSite,
    api_allowing_customer: LiveServer,
) -> None:
    url = customer_site.page_embedding(api_allowing_customer, "pricing.html")
    with browse(browser, api_allowing_customer, url, customer_site.origin) as browsed:
        page = browsed.page
        open_widget(page)
        type_answer(page, "Acme Analytics")
        expect(page.locator(".msg.user .bubble")).to_have_text(["Acme Analytics"])
        page.reload()
        expect(page.locator("[role=dialog]")).to_be_visible()
        wait_idle(page)
        expect(page.locator(".msg.user .bubble")).to_have_text(["Acme Analytics"])  # resumed over CORS
        with page.expect_download() as download:
            page.locator(".download[data-format=md]").click()
        assert download.value.suggested_filename.endswith(".md")
        assert "Acme Analytics" in Path(str(download.value.path())).read_text(encoding="utf-8")


def test_embedded_on_a_foreign_origin_is_refused_politely(
    browser: Browser,
    customer_site: CustomerSite,
    api_not_allowing_customer: LiveServer,
) -> None:
    url = customer_site.page_embedding(api_not_allowing_customer, "elsewhere.html")
    with browse(browser, api_not_allowing_customer, url, customer_site.origin) as browsed:
        browsed.allow_console_errors = True  # Chromium logs the refused request
        page = browsed.page
        page.locator(".launcher").click()
        error = page.locator(".error[role=alert]")
        # CORS hides the API's reason from the page: the refusal reads as unreachable, never as a crash.
        expect(error).to_contain_text("Sorry")
        expect(error).to_contain_text("couldn't reach the assessment service")
        expect(error.get_by_role("button", name="Try again")).to_be_visible()
        expect(page.locator(".msg")).to_have_count(0)
