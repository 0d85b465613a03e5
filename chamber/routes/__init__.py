"""The routes into the chamber: the processes whose results fill the seats (party lists and
each party's delegation, local STV by district, faith partnerships, the youth seats, the
organisations ballot), each stored with its inputs and published like a count, and per member
how they came to their seat.  One module per route; `units` holds what the STV routes share,
`places` the seating, `views` the read models (the filled report, a seat's page)."""
