# SPDX-License-Identifier: Apache-2.0
# all.py's plot: gnuplot -e "dir='OUT_DIR'" all.gnuplot (reads
# OUT_DIR/rtt_sign.dat and OUT_DIR/rtt_handshakes.dat, writes
# OUT_DIR/benchmarks.png)
set terminal pngcairo size 1200,600 font ",10"
set output dir."/benchmarks.png"
set grid
set multiplot layout 1,2
set key below font ",8" maxrows 5
set title "Signatures/s against threads (provider over kmipd; floor: TLS 1.3, no KMIP)"
set logscale xy
set xtics (1, 4, 16)
set xrange [0.9:18]
set xlabel "threads"
set ylabel "per second (log scale)"
plot for [i=0:2] dir."/rtt_sign.dat" index i using 2:3 with linespoints dt 2 lc i+1 title sprintf("floor, RTT %s ms", word("0 1 5", i+1)), \
     for [i=0:2] '' index i using 2:4 with linespoints dt 1 lc i+1 title sprintf("P-256, RTT %s ms", word("0 1 5", i+1)), \
     for [i=0:2] '' index i using 2:5 with linespoints dt 3 lc i+1 title sprintf("RSA-2048, RTT %s ms", word("0 1 5", i+1)), \
     '' index 0 using 2:6 with lines lw 2 lc rgb "black" title "P-256, local key file", \
     '' index 0 using 2:7 with lines lw 2 dt 3 lc rgb "black" title "RSA-2048, local key file"
unset logscale
set title "nginx (4 workers) TLS 1.3 full handshakes/s against RTT to kmipd"
set xtics (0, 1, 5)
set xlabel "RTT to the KMIP server, ms"
set ylabel "handshakes/s"
set yrange [0:*]
set key below font ",8"
set xrange [0:5.2]
plot dir."/rtt_handshakes.dat" using 1:2 with linespoints lc 1 title "P-256, KMIP key", \
     '' using 1:3 with linespoints lc 2 title "RSA-2048, KMIP key", \
     '' using 1:4 with lines dt 2 lc 1 title "P-256, local key file", \
     '' using 1:5 with lines dt 2 lc 2 title "RSA-2048, local key file"
unset multiplot
