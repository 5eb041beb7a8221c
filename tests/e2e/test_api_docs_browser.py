"""The interactive API docs render in a real browser under our CSP, from local assets only."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def test_the_api_docs_render_without_csp_violations(live_server, page, screenshot):
    requests = []
    console_errors = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))
    page.add_init_script(WATCH_CSP)
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".opblock").first.wait_for()
    assert page.get_by_text("/api/events/{event_id}/logs").first.is_visible()
    screenshot("api-docs")
    assert page.evaluate("window.__violations") == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
    assert all(url.startswith(live_server.url) for url in requests), requests
