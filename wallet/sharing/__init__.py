"""Sharing: public award pages, previews, embeds, QR codes, baked downloads, LinkedIn links."""
