"""One module per mechanism. A rule is a function of the population arrays, the parameters and
a random generator; the model (model.py) decides the order and which rules are switched on."""
