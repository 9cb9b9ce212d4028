"""`sim app`: the advisers' what-if screen, a local web app on Solara (issue 14).

The data flow is the project's own: the form's choices become an experiment config
(settings.py), runs go through `sim run`'s code (runner.py: a quick preliminary run in a warm
worker, then `sim run` of the same config's TOML), and what is shown is made by the report's
summary, texts and charts (screen.py, views.py). form.py is the adviser's side, pages.py the
pages, live.py the model stepping month by month, server.py the offline Solara server.
"""
