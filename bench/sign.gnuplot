# SPDX-License-Identifier: Apache-2.0
# Bar chart of bench_sign's data file: gnuplot -e "data='F'; out='P'" sign.gnuplot
set terminal pngcairo size 1000,560 font ",10"
set output out
set title "Signatures per second: local key, kmipd and PyKMIP (loopback, mutual TLS)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set logscale y
set ylabel "signatures per second (log scale)"
set xtics rotate by -35 scale 0
set grid ytics
unset key
plot data using 2:xtic(1) linecolor rgb "#3b6ea5", \
     '' using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle
