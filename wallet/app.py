"""The application factory."""

from __future__ import annotations

from flask import Flask
from flask import request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from wallet.accounts import login
from wallet.accounts import social_views
from wallet.accounts import views as accounts_views
from wallet.backpack import collection_views
from wallet.backpack import export_views
from wallet.backpack import views as backpack_views
from wallet.config import PROJECT_ROOT
from wallet.config import Config
from wallet.engagement import analytics_views
from wallet.engagement import consent_views
from wallet.engagement import webhook_views
from wallet.extensions import babel
from wallet.extensions import compress
from wallet.extensions import csrf
from wallet.issuer_api import client_views
from wallet.issuer_api import engagement_views as api_engagement_views
from wallet.issuer_api import oauth
from wallet.issuer_api import oauth_views
from wallet.issuer_api import pathway_views as api_pathway_views
from wallet.issuer_api import survey_views as api_survey_views
from wallet.issuer_api import views as api_views
from wallet.issuers import claim_views
from wallet.issuers import member_views as issuer_member_views
from wallet.issuers import public_views as issuer_public_views
from wallet.issuers import views as issuer_views
from wallet.pathways import recommendation_views
from wallet.pathways import views as pathway_views
from wallet.profiles import share_views
from wallet.profiles import verify_views
from wallet.profiles import views as profile_views
from wallet.runtime import Runtime
from wallet.sharing import linkedin_views
from wallet.sharing import views as sharing_views
from wallet.surveys import earner_views as survey_earner_views
from wallet.surveys import views as survey_views
from wallet.web import assets
from wallet.web import context
from wallet.web import pagecache
from wallet.web import ratelimit
from wallet.web import templating
from wallet.web import views as core_views
from wallet.web.errors import register_error_handlers
from wallet.web.fastpages import DOOR
from wallet.web.fastpages import CachedPages
from wallet.web.security import register_security_headers

#: Interface languages with a shipped catalogue.
LOCALES = ("en", "es")
#: Media types sent compressed to clients that accept it.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/problem+json",
    "application/xml",
    "image/svg+xml",
]


def create_app(config: Config | None = None) -> Flask:
    """Create and configure an instance of the wallet."""
    config = config or Config.from_env()
    app = Flask(
        "wallet",
        root_path=str(PROJECT_ROOT / "wallet"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(config.instance_path),
    )
    _apply_config(app, config)
    runtime = Runtime.build(config)
    app.extensions["wallet"] = runtime
    pages = app.extensions[pagecache.EXTENSION] = pagecache.PageStore(runtime.redis)
    door = app.extensions[DOOR] = CachedPages(
        app.wsgi_app,
        app,
        runtime,
        pages,
        locales=LOCALES,
        cookies=(app.config["SESSION_COOKIE_NAME"], app.config["REMEMBER_COOKIE_NAME"]),
    )
    app.wsgi_app = door  # type: ignore[method-assign]
    if config.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=config.trusted_proxies,
            x_proto=config.trusted_proxies,
            x_host=config.trusted_proxies,
        )

    _init_extensions(app, runtime)
    app.teardown_appcontext(context.close_db_session)
    templating.init_app(app)
    assets.init_app(app)
    register_error_handlers(app)
    register_security_headers(app)
    _register_blueprints(app)
    _register_issuer_api(app)
    ratelimit.init_app(app, runtime.redis.limiter_uri, runtime.redis.client_name)
    return app


def _apply_config(app: Flask, config: Config) -> None:
    app.config.update(
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        DEBUG=config.debug,
        MAX_CONTENT_LENGTH=config.max_content_length,
        MAX_FORM_MEMORY_SIZE=config.max_content_length,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_NAME="wallet_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=config.secure_cookies,
        REMEMBER_COOKIE_NAME="wallet_remember",
        PREFERRED_URL_SCHEME="https" if config.secure_cookies else "http",
        WTF_CSRF_ENABLED=config.csrf_enabled,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE=config.default_locale,
        RATELIMIT_ENABLED=config.ratelimit_enabled,
        RATELIMIT_HEADERS_ENABLED=True,
        # The limiter must never take the site down: if Redis is unreachable, let requests through.
        RATELIMIT_SWALLOW_ERRORS=True,
        # Text travels compressed when the client accepts it: brotli first (smaller at the same
        # CPU for HTML), gzip for everyone else. Images but SVG are compressed already.
        COMPRESS_MIMETYPES=COMPRESSED_TYPES,
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "deflate"],
        COMPRESS_BR_LEVEL=4,
        COMPRESS_MIN_SIZE=500,
    )


def _select_locale() -> str | None:
    if current_user.is_authenticated and getattr(current_user, "locale", None):
        return str(current_user.locale)
    return request.accept_languages.best_match(LOCALES)


def _init_extensions(app: Flask, runtime: Runtime) -> None:
    csrf.init_app(app)
    compress.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login.init_app(app)

    @app.before_request
    def _start_embedded_redis() -> None:
        # The embedded server starts on first use; a no-op once started or with REDIS_URL set.
        runtime.redis.ensure_started()


def _register_blueprints(app: Flask) -> None:
    app.register_blueprint(core_views.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(social_views.bp)
    app.register_blueprint(backpack_views.bp)
    app.register_blueprint(collection_views.bp)
    app.register_blueprint(export_views.bp)
    app.register_blueprint(issuer_views.bp)
    app.register_blueprint(issuer_member_views.bp)
    app.register_blueprint(issuer_public_views.bp)
    app.register_blueprint(claim_views.bp)
    app.register_blueprint(sharing_views.bp)
    app.register_blueprint(linkedin_views.bp)
    app.register_blueprint(survey_views.bp)
    app.register_blueprint(pathway_views.bp)
    app.register_blueprint(survey_earner_views.bp)
    app.register_blueprint(profile_views.bp)
    app.register_blueprint(share_views.bp)
    app.register_blueprint(verify_views.bp)
    app.register_blueprint(webhook_views.bp)
    app.register_blueprint(analytics_views.bp)
    app.register_blueprint(consent_views.bp)
    app.register_blueprint(recommendation_views.bp)


def _register_issuer_api(app: Flask) -> None:
    """Mount the issuer API (issue 5): OAuth2 server, /api/v1, and the clients pages.

    The API and the OAuth endpoints authenticate clients by token or secret, never by cookie,
    so CSRF protection does not apply to them.
    """
    oauth.init_app(app)
    # The survey operations are registered on the same blueprint when their module loads.
    assert api_survey_views.bp is api_views.bp
    assert api_engagement_views.bp is api_views.bp
    assert api_pathway_views.bp is api_views.bp
    app.register_blueprint(api_views.bp)
    app.register_blueprint(oauth_views.bp)
    app.register_blueprint(client_views.bp)
    csrf.exempt(api_views.bp)
    csrf.exempt(oauth_views.bp)
