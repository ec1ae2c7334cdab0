"""The package's one dispatch idiom: a function named for the node's type, along its MRO.

As in SymPy's printers (``_print_Add``): ``Dispatch("_value_", globals().get, Error)`` finds
``_value_Pow`` for a ``Pow`` and ``_value_Rational`` for an ``Integer`` (the first class of the
type's MRO that has one). A type with no handler anywhere on its MRO is a loud ``Error``,
never a silent default; a table that wants a default says so with a handler for ``Basic`` or
``object``.

>>> def _size_int(n): return n
>>> def _size_str(s): return len(s)
>>> size = Dispatch("_size_", locals().get, LookupError)
>>> size(True)(True), size("abc")("abc")
(True, 3)
>>> size(2.5)
Traceback (most recent call last):
    ...
LookupError: no _size_ handler for float
"""

from __future__ import annotations

from collections.abc import Callable


class Dispatch:
    """``dispatch(node)`` -> the handler ``lookup(prefix + T.__name__)`` for the first T on the MRO.

    ``lookup`` is a module's ``globals().get`` or a class's ``lambda name: getattr(C, name, None)``;
    the answer per type is cached, so the walk happens once per type.
    """

    def __init__(
        self,
        prefix: str,
        lookup: Callable[[str], object],
        error: type[Exception],
        message: str = "no {prefix} handler for {type}",
    ):
        self.prefix, self.lookup, self.error, self.message = prefix, lookup, error, message
        self._cache: dict[type, Callable] = {}

    def __call__(self, node: object) -> Callable:
        kind = type(node)
        handler = self._cache.get(kind)
        if handler is None:
            handler = next(
                (h for c in kind.__mro__ if (h := self.lookup(self.prefix + c.__name__))), None
            )
            if handler is None:
                raise self.error(self.message.format(prefix=self.prefix, type=kind.__name__))
            self._cache[kind] = handler
        return handler
