"""Unbound extension singletons; ``create_app`` binds them to the app."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: Limits are declared on the views that need them; there is no default limit.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
