"""Open Badges formats and verification; the modules here are pure unless named otherwise."""
