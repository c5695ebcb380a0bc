#!/bin/sh
# normalize.sh < output > normalized: make a ct-cases transcript comparable
# between Linux and ctoffloadd.  Within each command's output (between its
# "$ command" header and its "[exit N]" line):
#   - conntrack ids (random in Linux, sequential here) become id=ID (ICMP
#     ids stay), and the requesting port of a [USERSPACE] event portid=P;
#   - timeouts are rounded up to a multiple of 10 s: the kernel's count down
#     in real time, so `-t 100` reads 100 or 99 (or 98 on a slow run); cases
#     use timeouts that are multiples of 10, so a wrong one still shows;
#   - `conntrack -S` counters become N (one line per CPU in Linux, per
#     counting thread here: identical lines then collapse into one);
#   - lines are sorted and duplicates dropped: a dump lists the table in hash
#     order, which means nothing.  A command ending in "# ordered" keeps its
#     lines as they are (a transcript of events, whose order matters).
exec perl -ne '
	sub ceil10 { my $t = shift; return $t % 10 ? $t + 10 - $t % 10 : $t; }
	sub flush {
		print for $ordered ? @lines : sort { $a cmp $b } keys %block;
		%block = ();
		@lines = ();
	}
	if (/^\$ / || /^\[exit -?\d+\]$/) {
		flush();
		print;
		$ordered = /^\$ .*#\s*ordered\s*$/;
		next;
	}
	s/(code=\d+ )id=/$1icmp_id=/g;		# an ICMP id is part of the tuple: keep it
	s/\bid=\d+/id=ID/g;
	s/icmp_id=/id=/g;
	s/<id>\d+<\/id>/<id>ID<\/id>/g;
	s/portid=\d+/portid=P/g;
	s/^(\s*(?:\[[A-Z]+\]\s+)?(?:ipv[46]\s+\d+\s+)?[a-z0-9]+\s+\d+\s+)(\d+)(?=\s)/$1 . ceil10($2)/e;
	s/<timeout>(\d+)<\/timeout>/"<timeout>" . ceil10($1) . "<\/timeout>"/e;
	s/=\d+/=N/g if /^cpu=/;
	$block{$_} = 1;
	push @lines, $_;
	END { flush(); }
'
