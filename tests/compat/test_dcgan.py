# ruff: noqa: UP008, UP031  (kept in the PyTorch example's own style on purpose)
"""pytorch/examples ``dcgan/main.py`` with ``torch`` renamed to ``ember``: the DCGAN generator
and discriminator (64x64, ``weights_init`` applied by class name), Adam, BCELoss, trained for a
few steps on real MNIST digits resized to 64x64 as ``transforms.Resize(64)`` would."""

from __future__ import annotations

import argparse
import os

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
import ember.optim as optim
import ember.utils.data
from tests.compat._data import MNIST


class MNIST64(MNIST):
    """``dset.MNIST`` with ``Resize(imageSize), ToTensor(), Normalize((0.5,), (0.5,))``."""

    def __init__(self, root, image_size, limit):
        super().__init__(root, train=True, limit=limit, normalize=False)
        x = ember.from_numpy(self.data)
        x = F.interpolate(x, size=image_size, mode='bilinear', align_corners=False)
        self.data = ((x - 0.5) / 0.5).numpy()


def main(root, argv):
    parser = argparse.ArgumentParser()
    parser.add_argument('--batchSize', type=int, default=64, help='input batch size')
    parser.add_argument('--imageSize', type=int, default=64)
    parser.add_argument('--nz', type=int, default=100, help='size of the latent z vector')
    parser.add_argument('--ngf', type=int, default=64)
    parser.add_argument('--ndf', type=int, default=64)
    parser.add_argument('--niter', type=int, default=25, help='number of epochs to train for')
    parser.add_argument('--lr', type=float, default=0.0002, help='learning rate, default=0.0002')
    parser.add_argument('--beta1', type=float, default=0.5, help='beta1 for adam. default=0.5')
    parser.add_argument('--dry-run', action='store_true', help='check a single training cycle works')
    parser.add_argument('--ngpu', type=int, default=1, help='number of GPUs to use')
    parser.add_argument('--netG', default='', help="path to netG (to continue training)")
    parser.add_argument('--netD', default='', help="path to netD (to continue training)")
    parser.add_argument('--outf', default='.', help='folder to output model checkpoints')
    parser.add_argument('--manualSeed', type=int, help='manual seed')
    parser.add_argument('--limit', type=int, default=None, help='number of digits to use')
    opt = parser.parse_args(argv)

    if opt.manualSeed is None:
        opt.manualSeed = 999
    print("Random Seed: ", opt.manualSeed)
    ember.manual_seed(opt.manualSeed)

    ember.backends.cudnn.benchmark = True

    dataset = MNIST64(root, opt.imageSize, opt.limit)
    nc = 1

    dataloader = ember.utils.data.DataLoader(dataset, batch_size=opt.batchSize, shuffle=True)
    device = ember.device("cuda:0" if ember.cuda.is_available() else "cpu")
    ngpu = int(opt.ngpu)
    nz = int(opt.nz)
    ngf = int(opt.ngf)
    ndf = int(opt.ndf)

    # custom weights initialization called on netG and netD
    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find('Conv') != -1:
            ember.nn.init.normal_(m.weight, 0.0, 0.02)
        elif classname.find('BatchNorm') != -1:
            ember.nn.init.normal_(m.weight, 1.0, 0.02)
            ember.nn.init.zeros_(m.bias)

    class Generator(nn.Module):
        def __init__(self, ngpu):
            super(Generator, self).__init__()
            self.ngpu = ngpu
            self.main = nn.Sequential(
                # input is Z, going into a convolution
                nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
                nn.BatchNorm2d(ngf * 8),
                nn.ReLU(True),
                # state size. (ngf*8) x 4 x 4
                nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 4),
                nn.ReLU(True),
                # state size. (ngf*4) x 8 x 8
                nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 2),
                nn.ReLU(True),
                # state size. (ngf*2) x 16 x 16
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf),
                nn.ReLU(True),
                # state size. (ngf) x 32 x 32
                nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
                nn.Tanh()
                # state size. (nc) x 64 x 64
            )

        def forward(self, input):
            if input.is_cuda and self.ngpu > 1:
                output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
            else:
                output = self.main(input)
            return output

    netG = Generator(ngpu).to(device)
    netG.apply(weights_init)
    if opt.netG != '':
        netG.load_state_dict(ember.load(opt.netG))
    print(netG)

    class Discriminator(nn.Module):
        def __init__(self, ngpu):
            super(Discriminator, self).__init__()
            self.ngpu = ngpu
            self.main = nn.Sequential(
                # input is (nc) x 64 x 64
                nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
                nn.LeakyReLU(0.2, inplace=True),
                # state size. (ndf) x 32 x 32
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 2),
                nn.LeakyReLU(0.2, inplace=True),
                # state size. (ndf*2) x 16 x 16
                nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 4),
                nn.LeakyReLU(0.2, inplace=True),
                # state size. (ndf*4) x 8 x 8
                nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 8),
                nn.LeakyReLU(0.2, inplace=True),
                # state size. (ndf*8) x 4 x 4
                nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
                nn.Sigmoid()
            )

        def forward(self, input):
            if input.is_cuda and self.ngpu > 1:
                output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
            else:
                output = self.main(input)

            return output.view(-1, 1).squeeze(1)

    netD = Discriminator(ngpu).to(device)
    netD.apply(weights_init)
    if opt.netD != '':
        netD.load_state_dict(ember.load(opt.netD))
    print(netD)

    criterion = nn.BCELoss()

    fixed_noise = ember.randn(opt.batchSize, nz, 1, 1, device=device)
    real_label = 1
    fake_label = 0

    # setup optimizer
    optimizerD = optim.Adam(netD.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))

    history = []
    for epoch in range(opt.niter):
        for i, data in enumerate(dataloader, 0):
            ############################
            # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
            ###########################
            # train with real
            netD.zero_grad()
            real_cpu = data[0].to(device)
            batch_size = real_cpu.size(0)
            label = ember.full((batch_size,), real_label,
                               dtype=real_cpu.dtype, device=device)

            output = netD(real_cpu)
            errD_real = criterion(output, label)
            errD_real.backward()
            D_x = output.mean().item()

            # train with fake
            noise = ember.randn(batch_size, nz, 1, 1, device=device)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            D_G_z1 = output.mean().item()
            errD = errD_real + errD_fake
            optimizerD.step()

            ############################
            # (2) Update G network: maximize log(D(G(z)))
            ###########################
            netG.zero_grad()
            label.fill_(real_label)  # fake labels are real for generator cost
            output = netD(fake)
            errG = criterion(output, label)
            errG.backward()
            D_G_z2 = output.mean().item()
            optimizerG.step()

            print('[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f'
                  % (epoch, opt.niter, i, len(dataloader),
                     errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
            history.append((errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
            if i % 100 == 0:
                fake = netG(fixed_noise)
                assert fake.detach().shape == (opt.batchSize, nc, 64, 64)  # vutils.save_image

            if opt.dry_run:
                break
        # do checkpointing
        ember.save(netG.state_dict(), '%s/netG_epoch_%d.pth' % (opt.outf, epoch))
        ember.save(netD.state_dict(), '%s/netD_epoch_%d.pth' % (opt.outf, epoch))
    return history, netG, netD, criterion


def test_dcgan_step(shared_data, tmp_path):
    args = ['--batchSize', '16', '--nz', '16', '--ngf', '8', '--ndf', '8', '--niter', '1',
            '--limit', '32', '--outf', str(tmp_path)]
    history, netG, netD, criterion = main(shared_data, args)
    assert len(history) == 2 and np.isfinite(history).all()
    # D starts undecided and its first step already pulls D(x) above D(G(z)).
    (_, _, d_x, d_gz1, d_gz2), = history[1:]
    assert d_x > d_gz1 and 0.0 < d_gz2 < 1.0
    # weights_init (Module.apply by class name) drew conv weights with std 0.02.
    std = netD.main[2].weight.std().item()
    assert 0.015 < std < 0.025
    assert sorted(os.listdir(tmp_path)) == ['netD_epoch_0.pth', 'netG_epoch_0.pth']

    # --netG/--netD resume from the checkpoints; one more D step then lowers D's loss on the
    # same batch, and one G step lowers G's loss on the same noise.
    saved = ember.load(tmp_path / 'netG_epoch_0.pth')['main.0.weight']
    again, netG, netD, criterion = main(shared_data, args[:-2] + [
        '--netG', str(tmp_path / 'netG_epoch_0.pth'), '--netD', str(tmp_path / 'netD_epoch_0.pth'),
        '--outf', str(tmp_path), '--dry-run', '--manualSeed', '5'])
    moved = (netG.main[0].weight - saved).abs().max().item()
    assert 0 < moved < 2e-3  # resumed from the checkpoint, then one Adam step (lr 2e-4)
    real = MNIST64(shared_data, 64, 16).data
    real = ember.from_numpy(real)
    noise = ember.randn(16, 16, 1, 1)
    optD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))

    def d_loss():
        fake = netG(noise).detach()
        return criterion(netD(real), ember.ones(16)) + criterion(netD(fake), ember.zeros(16))

    def g_loss():
        return criterion(netD(netG(noise)), ember.ones(16))

    for loss_fn, opt in ((d_loss, optD), (g_loss, optG)):
        netD.zero_grad()
        netG.zero_grad()
        before = loss_fn()
        before.backward()
        opt.step()
        with ember.no_grad():
            after = loss_fn()
        assert after.item() < before.item(), (loss_fn.__name__, before.item(), after.item())
