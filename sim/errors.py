"""One error type for bad input, so every entry point reports it the same way."""


class ConfigError(ValueError):
    """Bad input: names the file, the key, what was found and what was expected."""

    def __init__(self, message: str, *, file=None, key=None, line=None, found=None, expected=None, hint=None):
        self.message = message
        self.file, self.key, self.line = file, key, line
        self.found, self.expected, self.hint = found, expected, hint
        where = []
        if file:
            where.append(str(file) + (f":{line}" if line else ""))
        if key:
            where.append(f"key '{key}'")
        text = (": ".join([", ".join(where), message]) if where else message)
        if found is not None:
            text += f"; found {found!r}"
        if expected is not None:
            text += f"; expected {expected}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)
