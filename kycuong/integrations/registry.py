"""A typed registry where integrations register with a decorator (after Open Forms' plugins/registry.py).

    payments = Registry[PaymentGateway]("payment gateway")

    @payments.register("demo")
    class DemoGateway(PaymentGateway): ...

    payments["demo"]  → an instance; payments.keys() → what is installed.
"""
from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str):
        self.what = what
        self._items: dict[str, T] = {}

    def register(self, key: str) -> Callable[[type[T]], type[T]]:
        def decorator(cls: type[T]) -> type[T]:
            if key in self._items:
                raise ValueError(f"{self.what} {key!r} is already registered")
            instance = cls()
            instance.key = key
            self._items[key] = instance
            return cls
        return decorator

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def keys(self) -> list[str]:
        return list(self._items)
