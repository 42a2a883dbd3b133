# SPDX-License-Identifier: Apache-2.0
# compare.py's plot: gnuplot -e "dir='OUT_DIR'" compare.gnuplot
# (reads OUT_DIR/sign.dat and OUT_DIR/handshakes.dat, writes
# OUT_DIR/compare.png)
set terminal pngcairo size 1200,900 font ",10"
set output dir."/compare.png"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set grid ytics
set key top right
set xtics rotate by -20 scale 0 font ",9"
set multiplot layout 2,1
set title "Signatures per second (SHA-256; loopback, mutual TLS to the KMIP server)"
set logscale y
set ylabel "signatures/s (log scale)"
plot dir."/sign.dat" using 2:xtic(1) title "RSA-2048, 1 thread" lc rgb "#1f4e79", \
     '' using 3 title "RSA-2048, 2 threads" lc rgb "#5b9bd5", \
     '' using 4 title "P-256, 1 thread" lc rgb "#7f3f00", \
     '' using 5 title "P-256, 2 threads" lc rgb "#f4b183"
unset logscale y
set title "nginx (4 workers), TLS 1.3 full handshakes per second, 8 client connections"
set ylabel "handshakes/s"
set yrange [0:*]
plot dir."/handshakes.dat" using 2:xtic(1) title "RSA-2048" lc rgb "#1f4e79", \
     '' using 3 title "P-256" lc rgb "#7f3f00"
unset multiplot
