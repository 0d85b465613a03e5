"""Officers with powers: the Speaker and the panel of deputy speakers, the Executive Committee
elected by the members by STV, each group's whips and officers, each assembly's officer.  An
office is held by a member of a body from one day until another; each power belongs to certain
offices, and every service that uses one checks it here (`require`), refusing with the reason."""
