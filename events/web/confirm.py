"""The page of its own that a destructive action asks on: what will happen, and two buttons."""

from django.shortcuts import render

from ..time import window


def window_text(row) -> str:
    """A shift's or booking's window in UK time, with both dates when it spans days."""
    return window(row.starts_at, row.ends_at)


def confirm(request, event, *, question, facts, consequence, confirm, back, keep="No, go back"):
    """The page of its own a destructive action asks on (templates/events/confirm.html)."""
    context = {
        "event": event,
        "question": question,
        "facts": facts,
        "consequence": consequence,
        "confirm": confirm,
        "back": back,
        "keep": keep,
    }
    return render(request, "events/confirm.html", context)
