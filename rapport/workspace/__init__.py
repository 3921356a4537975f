"""The agent's workspace: the live queue, accepting work, the screen pop, and wrapping up."""
