# Generates the golden files of scipy_golden_test.go with SciPy and NumPy
# (Debian python3-scipy, python3-numpy 1.24):  /usr/bin/python3 make_golden.py
import numpy as np, scipy.io as sio
X = (np.arange(32*32*3*5) % 251).astype(np.uint8).reshape(32, 32, 3, 5)
y = np.array([[1], [10], [3], [4], [5]], dtype=np.float64)
sio.savemat('svhn_scipy_compressed.mat', {'X': X, 'y': y}, do_compression=True)
sio.savemat('svhn_scipy_plain.mat', {'X': X, 'y': y})
np.save('arange_be_f8.npy', np.arange(6).reshape(2, 3).astype('>f8'))
np.save('arange_fortran_i2.npy', np.asfortranarray(np.arange(6, dtype=np.int16).reshape(2, 3)))
np.savez_compressed('xy.npz', x=(np.arange(8)*30).astype(np.uint8).reshape(2, 2, 2), y=np.array([3, 1]))
