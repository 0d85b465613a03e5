"""The business of sittings: items planned a month ahead (or urgent on Saturday afternoons),
their debates and speeches, and the Speaker's invitations to members who are not rostered."""
