"""The OAuth2 API for issuers (/api/v1): authlib server, scopes, schemas, OpenAPI."""
