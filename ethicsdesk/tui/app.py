"""The Textual app: one factory (`build_app`) builds it for the command line and for the tests.

The first screen mounts before the store is imported: sqlmodel alone costs about 700 ms, so the service is opened in a
worker after the first paint. Screens get the service from the app and call it; they hold no SQL and no business rules.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ethicsdesk.errors import DatabaseProblem, EthicsdeskError, PassphraseNeeded, WrongPassphrase
from ethicsdesk.settings import User
from ethicsdesk.tui.app_face import ServiceReady
from ethicsdesk.tui.app_start import FOCUS_KEYS, Start
from ethicsdesk.tui.heap import freeze_long_lived, keep_heap_small
from ethicsdesk.tui.terminal_safe import ControlCharacters
from ethicsdesk.tui.theme import HIGH_CONTRAST
from ethicsdesk.tui.typed_ahead import KeySettled, TypedAhead

if TYPE_CHECKING:
    from textual.filter import LineFilter

    from ethicsdesk.service import Service
    from ethicsdesk.service.records import RecordAccess
    from ethicsdesk.tui.idle import IdleWatcher

Asked = TypeVar("Asked")


class EthicsdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "ethicsdesk"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        # priority: a dialog (a modal screen) hides the app's other keys, and F1 must answer there too
        Binding("f1", "help", "Help", priority=True),
        *FOCUS_KEYS,
    ]

    def __init__(
        self,
        service_factory: Callable[[], Service],
        user: User | None,
        start: Start,
        first_page: Callable[[int], list[Any] | None] | None = None,
        light: Callable[[], RecordAccess | None] | None = None,
    ) -> None:
        super().__init__()
        self._service_factory = service_factory
        # `open ID`: the record's reads before the service is open (service/light_records.py), so the
        # walk is drawn without SQLAlchemy; None: the walk waits for the service, as every other start
        self._light_opener = light if start.record_id and user is not None else None
        self._light: RecordAccess | None = None
        self._settled = threading.Event()  # the service opened, or failed to: a writer's thread waits for it
        self._for_writers: Service | None = None
        self._opened = asyncio.Event()  # the same, for a screen's action on the UI thread
        # Home's first page before the service is open (service/first_page.py); None: wait for it.
        # Only when home is where the app opens: under `review` or `open ID` its list is not what the
        # keys typed meanwhile are meant for.
        self.first_page = first_page if start == Start() else None
        self._service: Service | None = None
        self._opening = False
        self.user = user
        self.start = start
        self.idle: IdleWatcher | None = None  # the idle lock, started on mount
        # keys typed while a screen loads wait for it; the app's priority keys have run before any widget
        priority = frozenset(b.key for b in self.BINDINGS if isinstance(b, Binding) and b.priority)
        self.typed_ahead = TypedAhead(self, self._ready_for_keys, self._finishing, priority)
        # Why the database could not be opened: `run` raises it once the app has closed, so the
        # process exits with its code and sentence, as a command does.
        self.problem: EthicsdeskError | None = None
        self.register_theme(HIGH_CONTRAST)
        self._control_characters = ControlCharacters()
        self._quitting = False  # quit_saving is under way

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's own filters, then record text's control characters neutralised on every line."""
        return [*super().get_line_filters(), self._control_characters]

    # --- the service, opened after the first paint --------------------------------------------
    @property
    def service(self) -> Service:
        if self._service is None:
            raise RuntimeError("the service is not open yet")
        return self._service

    @property
    def service_ready(self) -> bool:
        return self._service is not None

    @property
    def reader(self) -> RecordAccess:
        """What reads records now: the service once open, before it the light one (`open ID`)."""
        if self._service is None and self._light is not None:
            return self._light
        return self.service

    def service_when_open(self) -> Service:
        """The service, from a worker's thread, once the thread opening it has it; refuses if it failed."""
        self._settled.wait()
        if self._for_writers is None:
            raise self.problem or DatabaseProblem("The database could not be opened.")
        return self._for_writers

    async def service_opened(self) -> bool:
        """Wait on the UI thread, not blocking it, until the service is open; False if it failed."""
        await self._opened.wait()
        return self._service is not None

    def on_mount(self) -> None:
        keep_heap_small(self)  # the loaded modules frozen, closed screens' widgets let go (tui/heap.py)
        if self._light_opener is not None:
            # `open ID`: the walk alone (home is made when it is left), after Textual's start-up batch:
            # pushed within it, it was laid out unseen, then again in full (bench/: 612 -> 483 ms)
            self.call_later(self._start_lightly)
        else:
            self._start_at_home()
        from ethicsdesk.tui.idle import start_idle_watcher

        self.idle = start_idle_watcher(self, self.lock)  # a record is hidden from a desk left unattended
        if not self.is_headless:
            from ethicsdesk.tui.quitting import install_quit_signals

            install_quit_signals(self, self.quit_saving)

    def _start_at_home(self) -> None:
        from ethicsdesk.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.user is None:
            from ethicsdesk.tui.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(), self._user_chosen)
        if self.first_page is None:
            self.open_service_now()
        # else home paints its first page, then calls open_service_now: importing the store in a
        # thread competes with the first paint for the interpreter (bench/: 687 -> 404 ms -> less)

    def _start_lightly(self) -> None:
        """`open ID` on a plain SQLite file: the walk drawn from the light service, before SQLAlchemy
        (the walk opens the service after its first paint); else home, as every other start."""
        from ethicsdesk.tui.screens.walk import WalkScreen

        record_id, light = self.start.record_id, self._light_opener() if self._light_opener else None
        if light is None or record_id is None:
            self._start_at_home()
            return
        try:
            read = light.head(record_id), light.record(record_id)  # the walk is drawn from them
        except EthicsdeskError:
            light.close()  # the service's path says why, as before
            self._start_at_home()
            return
        self._light, self.start = light, Start()
        self.push_screen(WalkScreen(record_id, read=read))

    def leave_walk(self) -> None:
        """Close the walk on top: back to the screen below, or to home for a walk opened alone (`open ID`)."""
        from ethicsdesk.tui.screens.home import HomeScreen

        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.switch_screen(HomeScreen())

    def open_service_now(self) -> None:
        """Open the service in a worker, once (a passphrase retry resets `_opening` first)."""
        if self._service is None and not self._opening:
            self._opening = True
            self.run_worker(self._open_service, thread=True, exclusive=True, group="service")

    def _open_service(self) -> None:
        try:
            service = self._service_factory()
        except (PassphraseNeeded, WrongPassphrase) as exc:
            # an encrypted database; ask on a screen, then open again with the answer
            self.call_from_thread(self.typed_ahead.discard)  # keys typed meanwhile are not the passphrase
            self.call_from_thread(self._ask_database_passphrase, exc)
            return
        except EthicsdeskError as exc:
            self._settled.set()  # a writer waiting for it gives up
            self.call_from_thread(self._service_failed, exc)
            return
        if service.db.is_sqlite and self.user is not None:
            service.user = self.user  # as `_service_opened` does, before a waiting writer's change uses it
        self._for_writers = service
        self._settled.set()
        self.call_from_thread(self._service_opened, service)

    def _ask_database_passphrase(self, exc: PassphraseNeeded | WrongPassphrase) -> None:
        from ethicsdesk.service.encryption import remember_passphrase
        from ethicsdesk.tui.screens.database_passphrase import DatabasePassphraseScreen

        if exc.path is None:
            self._service_failed(exc)
            return
        path = exc.path

        def given(passphrase: str | None) -> None:
            if passphrase is None:
                self.problem = exc  # not opened: the process says so and exits non-zero
                self.exit(return_code=exc.exit_code)
                return
            remember_passphrase(path, passphrase)  # tried first; the store forgets it again if it is wrong
            self._opening = False
            self.open_service_now()

        error = exc.message if isinstance(exc, WrongPassphrase) else ""
        self.push_screen(DatabasePassphraseScreen(path, error), given)

    def _service_opened(self, service: Service) -> None:
        freeze_long_lived("service")  # and the store's, SQLAlchemy's and the service's (tui/heap.py)
        self._service = service
        if self._light is not None:
            self._light.close()  # read on this thread only; every read is the service's from now on
            self._light = None
        self._opened.set()
        if not service.db.is_sqlite:
            self.user = service.user  # a shared database knows its users by their login
        elif self.user is not None:
            service.user = self.user
        for screen in self.screen_stack:
            screen.post_message(ServiceReady())
        if self.user is not None:
            self._go_to_start()

    def _service_failed(self, problem: EthicsdeskError) -> None:
        from ethicsdesk.tui.screens.problem import ProblemScreen

        self.problem = problem
        self._opened.set()
        self.typed_ahead.discard()
        self.push_screen(ProblemScreen(problem.message))

    def _user_chosen(self, user: User | None) -> None:
        if user is None:
            return
        self.user = user
        if self._service is not None:
            if self._service.db.is_sqlite:
                self._service.user = user
            self._go_to_start()

    def _go_to_start(self) -> None:
        start, self.start = self.start, Start()  # only once
        if start.new:
            self.action_new_record()
        elif start.record_id:
            self.open_record(start.record_id)
        elif start.replay:
            self.open_replay(start.replay)
        elif start.train is not None:
            self.start_training(start.train or None)
        elif start.review is not None:
            if start.review:
                self.open_review(start.review)
            else:
                self.open_review_queue()

    # --- navigation the screens share ---------------------------------------------------------
    def _asked(self, ask: Callable[[], Asked], refused: str) -> Asked | None:
        """What the service answers `ask`, or None once a notification titled `refused` has said why
        it would not."""
        try:
            return ask()
        except EthicsdeskError as exc:
            self.notify(exc.message, title=refused, severity="error", markup=False)
            return None

    def action_new_record(self) -> None:
        from ethicsdesk.tui.screens.new_record import NewRecordScreen

        def created(record_id: str | None) -> None:
            if record_id:
                self.open_record(record_id)

        self.push_screen(NewRecordScreen(), created)

    def open_record(self, record_id: str) -> None:
        from ethicsdesk.tui.screens.walk import WalkScreen

        if not self.service_ready:
            self.notify("Still opening the database; try again in a moment.", timeout=2, markup=False)
            return
        read = self._asked(lambda: (self.service.head(record_id), self.service.record(record_id)), "Not opened")
        if read is not None:
            self.push_screen(WalkScreen(record_id, read=read))  # drawn from this read, not read again

    # Bindings name actions; these route home's keys (t, c, v) to the methods above and below.
    def action_start_training(self, sample_id: str | None = None) -> None:
        self.start_training(sample_id)

    def action_open_cohort(self) -> None:
        self.open_cohort()

    def action_open_review_queue(self) -> None:
        self.open_review_queue()

    def open_review_queue(self) -> None:
        from ethicsdesk.tui.screens.review_queue import ReviewQueueScreen

        self.push_screen(ReviewQueueScreen())

    def open_review(self, record_id: str, number: int | None = None) -> None:
        """The review of a record, answering the request `number` (0: the sign-off one; None: the
        oldest open one)."""
        from ethicsdesk.tui.screens.review import ReviewScreen

        if self._asked(lambda: self.service.record(record_id), "Not opened") is None:
            return
        self.push_screen(ReviewScreen(record_id, number))

    def start_training(self, sample_id: str | None) -> None:
        """A new training attempt on a sample (chosen from the library when not named)."""
        from ethicsdesk.tui.screens.sample_picker import SamplePickerScreen

        def begin(chosen: str | None) -> None:
            if not chosen:
                return
            record_id = self._asked(lambda: self.service.training.start_training(chosen), "Not started")
            if record_id is not None:
                self.open_record(record_id)

        if sample_id:
            begin(sample_id)
        else:
            self.push_screen(SamplePickerScreen(), begin)

    def open_cohort(self) -> None:
        from ethicsdesk.tui.screens.cohort import CohortScreen
        from ethicsdesk.tui.screens.sample_picker import SamplePickerScreen

        def show(sample_id: str | None) -> None:
            if sample_id:
                self.push_screen(CohortScreen(sample_id))

        self.push_screen(SamplePickerScreen(), show)

    def open_replay(self, record_id: str) -> None:
        from ethicsdesk.tui.screens.replay import ReplayScreen

        history = self._asked(lambda: self.service.history(record_id), "Not opened")
        if history is None:
            return
        if not history:
            self.notify(f"There is no record '{record_id}'.", title="Not opened", severity="error", markup=False)
            return
        self.push_screen(ReplayScreen(record_id, history))  # read once: 10,000 events take a while

    # --- the idle lock -------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        # Every key and mouse event (before it reaches a screen) means someone is at the keyboard.
        if self.idle is not None and isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.idle.touch()
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        await self.typed_ahead.route(event, super().on_event)  # held, or passed on (tui/typed_ahead.py)

    def on_key_settled(self, message: KeySettled) -> None:
        self.typed_ahead.settled(message)

    def _ready_for_keys(self) -> bool:
        """Whether the screen on top can take keys: mounted, and for home, the database open (its
        first page is shown before, but opening a record needs the service)."""
        from ethicsdesk.tui.screens.home import HomeScreen

        screen = self.screen
        if len(self.screen_stack) < 2 or self._finishing():
            return False  # Textual's default screen, before home is pushed: no key is for it
        return screen.is_mounted and not (self._service is None and isinstance(screen, HomeScreen))

    def _finishing(self) -> bool:
        """Whether the screen on top is drawn and mounting the rest of itself (screens/walk.py `takes_keys`)."""
        return self.screen.is_mounted and not getattr(self.screen, "takes_keys", True)

    def lock(self, idle_minutes: float | None = None) -> None:
        """Hide everything behind the lock screen (asks for the passphrase of an encrypted database)."""
        from ethicsdesk.tui.screens.lock import LockScreen

        if any(isinstance(s, LockScreen) for s in self.screen_stack):
            return
        self.clear_notifications()  # a toast could quote a record
        encrypted = self._service.db.path if self._service is not None and self._service.db.encrypted else None
        self.push_screen(LockScreen(idle_minutes, encrypted), self._unlocked)

    def _unlocked(self, _: None) -> None:
        if self.idle is not None:
            self.idle.touch()  # the idle time counts from the return, not from before the lock

    def action_lock(self) -> None:
        self.lock()

    def action_help(self) -> None:
        from ethicsdesk.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 again closes it
            return
        from ethicsdesk.tui.screens.help import keys_of

        self.push_screen(HelpScreen(keys_of(self.screen, self)))  # the keys of the screen it is opened from

    def action_high_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and how the walk works", self.action_help)
        yield SystemCommand("High contrast", "Switch the high-contrast theme on or off", self.action_high_contrast)
        yield SystemCommand("Lock now", "Hide the screen until you return", self.action_lock)  # before leaving the desk
        if self.service_ready:
            yield SystemCommand("New record", "Start a new dilemma record", self.action_new_record)
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()

    # --- quitting: every key typed before it is taken and saved first ----------------------------
    async def action_quit(self) -> None:
        # in a worker: taking the pending keys waits for the app's own queue, which this handler holds
        self.run_worker(self.quit_saving(), group="quit", exit_on_error=False)

    async def quit_saving(self) -> None:
        """ctrl+q, SIGHUP and SIGTERM: handle the keys typed before, save what they typed, then exit.
        A second quit meanwhile (ctrl+q pressed twice) leaves the first to finish rather than cut it short."""
        from ethicsdesk.tui.quitting import save_typed_text

        if self._quitting:
            return
        self._quitting = True
        try:
            await save_typed_text(self)
        finally:
            self.exit()

    def on_unmount(self) -> None:
        from ethicsdesk.tui.quitting import remove_quit_signals

        if not self.is_headless:
            remove_quit_signals()
        if self._service is not None:
            self._service.close()
        if self._light is not None:
            self._light.close()
        self._settled.set()  # a writer still waiting gives up: nothing is left to save through


def build_app(
    service_factory: Callable[[], Service],
    user: User | None = None,
    start: Start | None = None,
    first_page: Callable[[int], list[Any] | None] | None = None,
    light: Callable[[], RecordAccess | None] | None = None,
) -> EthicsdeskApp:
    """The one way to make the app: the CLI passes a factory that opens the real database, the
    tests one that returns a service on a temporary database."""
    return EthicsdeskApp(service_factory, user, start or Start(), first_page, light)


def run(db: str | None = None, **start: Any) -> None:
    from ethicsdesk.settings import current_user

    def open_real() -> Service:
        from ethicsdesk.service import open_service

        return open_service(db)

    from ethicsdesk.service.first_page import first_page
    from ethicsdesk.settings import database_url

    url = database_url(db)
    user = current_user()
    name = user.name if user is not None else None

    def open_light() -> RecordAccess | None:
        from ethicsdesk.service.light_records import LightService

        return LightService.open(url, user) if user is not None else None

    app = build_app(open_real, user, Start(**start), lambda limit: first_page(url, limit, name), open_light)
    app.run()
    if app.problem is not None:
        raise app.problem  # the guard prints its sentence and exits with its code, as `list` does
