"""One pane per step of the walk. Each fills itself from a `WalkView` and saves through the screen."""
