"""Who a reader is in a link, and every link papercast writes: one home below delivery, newsletter, site and web.

- identity.py: the list's identifier, the app's public address, a reader's stable token on the list;
- signing.py: the link-signing secrets, a reader's opaque id, signatures (HMAC), checked by the app;
- reader.py: every action a reader's link can name, and the signed URL of each (unsubscribe, votes, feed ...);
- issue.py: the links one issue carries for its reader (unsubscribe, a vote pair per paper, their feed);
- papers.py: where a paper's title links to, in newsletters, feeds and the public pages.

Nothing here imports a web framework, a template or the store: the message composer, the renderer, the site
and the app all use it, and it uses none of them.
"""
