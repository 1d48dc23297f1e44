"""My path: the participant's year, with each assignment's status. A layer above the path's
pages and above assignments and live (it reads their state), below progress."""
