"""The JSON API (shared/API.md): one router per subject, wired in outreach/api.py."""
