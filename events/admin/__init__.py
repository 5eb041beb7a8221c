"""The admin site. Every change to events, staffing, kit, officers and engagement entries goes
through the same services as the web pages and the API (events/services): ``saving`` holds how
a refusal is shown, ``planning`` the events, staffing and kit, ``records`` the rest, ``tokens``
the user admin's "revoke all API tokens" action.
"""

from . import planning, records, tokens

__all__ = ["planning", "records", "tokens"]
